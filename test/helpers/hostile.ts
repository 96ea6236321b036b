/**
 * A Sigma-shaped YAML alias bomb: nine levels of nine aliases, 9^9 nodes if anything expanded them.
 * The selection's value is the top alias, so a parser that walks it would expand the whole bomb.
 */
export function aliasBomb(): string {
  const lines = ['title: bomb', 'logsource: {product: windows}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  lines.push('detection:', '  selection:', '    CommandLine: *a8', '  condition: selection');
  return `${lines.join('\n')}\n`;
}
