/**
 * A small, valid Sigma process-creation rule, number `i` of a generated catalog: its own id, title and
 * image, the same technique as every other.
 */
export function numberedRule(i: number): string {
  return `title: Good ${i}
id: 0e0e0e0e-0000-4000-8000-${String(i).padStart(12, '0')}
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\tool${i}.exe'
  condition: selection
tags: [attack.t1059.001]
`;
}
