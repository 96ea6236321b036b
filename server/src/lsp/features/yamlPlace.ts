/**
 * Where the cursor is in a (possibly half-typed, unparseable) Sigma YAML document, from indentation
 * alone: the chain of parent keys, whether the cursor is on a key or a value, and the text typed so far.
 * Completion needs this while the document is broken, so it does not rely on the YAML parser.
 */
export interface Place {
  /** Parent keys, outermost first (`['detection', 'selection']`). */
  path: string[];
  /** The key of the current line when the cursor is in its value (`Image|endswith`). */
  key?: string;
  inValue: boolean;
  /** The line is a list item (`- ...`). */
  listItem: boolean;
  /** The text typed from the start of the current key or value up to the cursor. */
  typed: string;
  /** Offset of `typed` in the line. */
  typedStart: number;
}

interface LineShape {
  indent: number;
  /** Column where the content starts (after `- ` for a list item). */
  contentStart: number;
  listItem: boolean;
  content: string;
}

function shape(line: string): LineShape {
  const indent = line.length - line.trimStart().length;
  const rest = line.slice(indent);
  const dash = /^-(\s+|$)/.exec(rest);
  const contentStart = dash ? indent + dash[0].length : indent;
  return { indent, contentStart, listItem: !!dash, content: line.slice(contentStart) };
}

/** `key: value` → key when the line starts with a mapping key (quotes removed). */
function keyOf(content: string): string | undefined {
  const m = /^(?:'([^']*)'|"([^"]*)"|([^\s#'"][^:#]*?))\s*:(?:\s|$)/.exec(content);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : undefined;
}

function isBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** The key of a list item's content when its value is nested below it (`- Image|endswith:`). */
function openKey(content: string): string | undefined {
  const key = keyOf(content);
  if (key === undefined) return undefined;
  const rest = content.slice(content.indexOf(':', key.length) + 1).trim();
  return rest === '' || rest.startsWith('#') ? key : undefined;
}

/** Parent keys of a line indented to `column`: walk up to each line that is less indented. */
function parents(lines: string[], lineIndex: number, column: number): string[] {
  const path: string[] = [];
  let threshold = column;
  for (let i = lineIndex - 1; i >= 0 && threshold > 0; i--) {
    const line = lines[i] ?? '';
    if (isBlank(line)) continue;
    const s = shape(line);
    if (s.indent >= threshold) continue;
    // A list item above: its content is a parent only when it opens a nested block.
    const key = s.listItem ? (s.contentStart < threshold ? openKey(s.content) : undefined) : keyOf(s.content);
    if (key !== undefined) path.unshift(key);
    threshold = s.indent;
  }
  return path;
}

export function placeAt(text: string, line: number, character: number): Place {
  const lines = text.split(/\r?\n/);
  const current = (lines[line] ?? '').slice(0, character);
  const s = shape(current);
  const key = keyOf(s.content);
  const path = parents(lines, line, s.indent);
  if (key !== undefined) {
    const colon = s.content.indexOf(':', key.length);
    const afterColon = s.contentStart + colon + 1;
    const valueStart = afterColon + (current.slice(afterColon).length - current.slice(afterColon).trimStart().length);
    return { path, key, inValue: true, listItem: s.listItem, typed: current.slice(valueStart), typedStart: valueStart };
  }
  return { path, inValue: false, listItem: s.listItem, typed: s.content, typedStart: s.contentStart };
}
