/**
 * Text from rule files goes to a terminal: control characters (ANSI escapes in a hostile title could
 * rewrite the screen) are shown as visible escapes, and cells are cut to a width.
 */
export function safeText(value: string, width = Infinity): string {
  // eslint-disable-next-line no-control-regex
  const visible = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible.length > width ? `${visible.slice(0, Math.max(0, width - 1))}…` : visible;
}

/** A plain text table with left-aligned columns. */
export function table(header: string[], rows: (string | number)[][], widths: number[] = []): string {
  const cells = [header, ...rows].map((row) => row.map((cell, i) => safeText(String(cell), widths[i] ?? 60)));
  const sizes = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(sizes[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), sizes.map((n) => '-'.repeat(n)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
