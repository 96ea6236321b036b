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
 * Why a text is refused before a parser reads it, when it nests deeper than `limit` (the catalog's
 * readers and the editor's document say the same); undefined when it does not.
 */
export function nestingRefusal(text: string, limit = MAX_YAML_NESTING): string | undefined {
  const depth = yamlNestingBound(text, limit);
  return depth > limit ? `YAML nested more than ${limit} levels deep (at least ${depth})` : undefined;
}

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
  // character codes, one pass per line: every rule file an index reads
  // goes through here before its parser
  while (at < text.length && max <= limit) {
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    const first = afterIndent(text, at, end);
    if (first < end && text.charCodeAt(first) !== HASH) {
      const indent = first - at;
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      const line = scanLine(text, first, end, flow);
      flow = line.flow;
      max = Math.max(max, indents.length + line.indicators + line.deepest);
    }
    at = end + 1;
  }
  return max;
}

const TAB = 9;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const QUESTION = 63;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

function afterIndent(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR) break;
    i++;
  }
  return i;
}

/**
 * One line: the flow depth at its end and the deepest it reached (open `[` / `{` anywhere, quoted text
 * included), and its longest run of indicators (`- `, `? `, `: `): `- - - x` is three sequences deep,
 * and the `yaml` lexer recurses once per indicator of a run wherever it stands (found by fuzzing:
 * `{- - - …` overflows its stack), so runs are counted anywhere in the line, not only at its start.
 */
function scanLine(text: string, from: number, end: number, depth: number): { flow: number; deepest: number; indicators: number } {
  let flow = depth;
  let deepest = depth;
  let longest = 0;
  let run = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      deepest = Math.max(deepest, ++flow);
      run = 0;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      if (flow > 0) flow--;
      run = 0;
    } else if ((c === DASH || c === QUESTION || c === COLON) && (i + 1 === end || text.charCodeAt(i + 1) === SPACE || text.charCodeAt(i + 1) === TAB)) {
      longest = Math.max(longest, ++run);
      i++; // the blank after the indicator
    } else if (c !== SPACE && c !== TAB) run = 0;
  }
  return { flow, deepest, indicators: longest };
}
