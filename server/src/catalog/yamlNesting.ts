/**
 * The `yaml` package composes nested collections recursively and slows down faster than quadratically
 * with depth: a few thousand levels take seconds, then overflow the stack, and 165 unclosed `{` with
 * 2 KB of rule after them took 1.4–1.9 s per parse of the edited document (both found by fuzzing; at
 * 128 the same text takes ~180 ms). Real rules nest fewer than 20 levels; the bound below (which counts
 * brackets in quoted text too) reaches 57 on a real Log4Shell rule full of `${`. Documents past it are
 * refused before they reach the parser.
 */
export const MAX_YAML_NESTING = 128;

/**
 * An upper bound of a YAML text's nesting, in one linear pass: open flow brackets (`[`, `{`, counted
 * everywhere, quoted text included, which can only overestimate), plus the block levels of each line
 * (the stack of indentations above it and its leading `- ` / `? ` indicators). Stops counting once past
 * `limit`, so a hostile line costs no more than a normal one.
 */
export function yamlNestingBound(text: string, limit = MAX_YAML_NESTING): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  let at = 0;
  while (at < text.length && max <= limit) {
    const end = lineEnd(text, at);
    const indent = leadingSpaces(text, at, end);
    if (indent < end - at && text[at + indent] !== '#') {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      const block = indents.length + indicators(text, at + indent, end);
      const line = flowIn(text, at + indent, end, flow);
      max = Math.max(max, block + line.deepest);
      flow = line.after;
    }
    at = end + 1;
  }
  return max;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

function leadingSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  return i - from;
}

/**
 * The longest run of indicators (`- `, `? `, `: `) in the line: `- - - x` is three sequences deep, and
 * the `yaml` lexer recurses once per indicator of a run wherever it stands (found by fuzzing: `{- - - …`
 * overflows its stack), so runs are counted anywhere in the line, not only at its start.
 */
function indicators(text: string, from: number, end: number): number {
  let longest = 0;
  let run = 0;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if ((c === '-' || c === '?' || c === ':') && (i + 1 === end || text[i + 1] === ' ' || text[i + 1] === '\t')) {
      longest = Math.max(longest, ++run);
      i++;
    } else if (c !== ' ' && c !== '\t') run = 0;
  }
  return longest;
}

/** Flow depth at the end of a line and the deepest it reached on the way. */
function flowIn(text: string, from: number, end: number, depth: number): { after: number; deepest: number } {
  let d = depth;
  let deepest = depth;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '[' || c === '{') deepest = Math.max(deepest, ++d);
    else if ((c === ']' || c === '}') && d > 0) d--;
  }
  return { after: d, deepest };
}
