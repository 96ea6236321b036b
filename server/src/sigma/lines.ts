/**
 * Finds the 1-based line of a detection key in a rule's text, for records read by the fast js-yaml
 * path (which keeps no positions). The editor's model uses exact ranges from `yaml` instead.
 */
export function detectionLine(text: string, selection?: string, key?: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let at = lines.findIndex((l) => /^detection\s*:/.test(l));
  if (at < 0) return undefined;
  if (selection) {
    const pattern = new RegExp(`^\\s+['"]?${escape(selection)}['"]?\\s*:`);
    const found = lines.findIndex((l, i) => i > at && pattern.test(l));
    if (found < 0) return at + 1;
    at = found;
  }
  if (key) {
    const pattern = new RegExp(`^[\\s-]+['"]?${escape(key)}['"]?\\s*:`);
    const found = lines.findIndex((l, i) => i > at && pattern.test(l));
    if (found >= 0) at = found;
  }
  return at + 1;
}

/** 1-based line of the n-th YAML document in a multi-document file. */
export function documentLine(text: string, index: number): number {
  if (index === 0) return 1;
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (/^---\s*$/.test(lines[i] ?? '') && i > 0) {
      seen++;
      if (seen === index) return i + 2;
    }
  }
  return 1;
}
