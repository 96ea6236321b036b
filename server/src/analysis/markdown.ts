/**
 * Text from rule files shown in hover markdown: every character markdown or HTML would interpret is
 * escaped, so a hostile title or value (`<img onerror>`, `[x](command:…)`) shows as text.
 */
export function mdText(value: string): string {
  return value
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~"']/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
}

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
export function mdCode(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || oneLine === '' ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A command link the extension trusts; arguments are JSON, URI-encoded. */
export function commandLink(label: string, command: string, args: unknown[]): string {
  return `[${mdText(label)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}
