/**
 * Only the top-level sections of a YAML rule file that its parser reads. Most of a rule file's bytes
 * are in keys no parser looks at: a Panther rule's `Tests:` are 82% of the corpus's Panther YAML, a Splunk
 * detection's drilldown searches, description and how-to ~60%, a Sigma rule's references and description
 * ~30%. js-yaml builds every one of them, so the cold index skips them: `readSections` blanks the lines of
 * every other top-level key and js-yaml reads what is left (a cold index took ~5% less time and CPU; the
 * parse alone, on one thread, ~13% less; see docs/benchmarks.md).
 *
 * The blanked lines stay as empty lines, so every line number js-yaml or a parser reports is the file's.
 * The scan follows YAML's line structure closely enough to tell where each top-level key begins: block
 * scalars, plain scalars continued over lines, and quoted scalars and flow collections that span lines
 * (js-yaml lets their lines start at column 0, so `Note: x` there is text, not a key). Wherever it could be
 * wrong it gives up instead, and the caller reads the whole file: anchors, aliases and tags (an alias in a
 * kept key may name an anchor in a blanked one), `|+` keep chomping (blank lines would join the text),
 * explicit indentation, tabs for indentation, a lone CR, a column-0 line inside a multi-line span, a
 * column-0 line that is neither a plain key, a `- ` entry, a comment nor `---` (a quoted key, `-x: 1`),
 * a document with keys none of which is wanted.
 *
 * For a file js-yaml reads, the wanted keys come out as they would from the whole file (the corpus test
 * and a property test in yamlSections.test.ts check it); callers load the whole file when the blanked
 * text does not load. A file broken only in a blanked key now indexes, where it used to fail.
 */

const TAB = 9;
const CR = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const SINGLE_QUOTE = 39;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const PIPE = 124;
const GREATER = 62;

/** Characters that make a node YAML this scan does not follow: anchors, aliases, tags, directives, reserved, complex keys. */
const UNFOLLOWED_NODE_START = new Set([38, 42, 33, 37, 64, 96, 63]); // & * ! % @ ` ?

/** A plain top-level key at column 0, its colon followed by a space, a tab or the end of the line. */
const TOP_KEY = /[A-Za-z_][A-Za-z0-9_.-]*(?=[ \t]*:(?:[ \t\r\n]|$))/y;

/** Characters of a flow collection that flowCharacter looks at; the others only end a node start. */
const FLOW_SPECIAL_CHARACTERS = '[]{},:"\'#&*!%@`? \t\r\n';
const FLOW_SPECIAL = new Uint8Array(128);
for (const c of FLOW_SPECIAL_CHARACTERS) FLOW_SPECIAL[c.charCodeAt(0)] = 1;
const FLOW_PLAIN_RUN = /[^[\]{},:"'#&*!%@`? \t\r\n]+/y;

/** A lone CR is a line break to YAML and not to this scan. */
const LONE_CR = /\r(?!\n)/;

type Mode = 'block' | 'blockScalar' | 'plain' | 'span';

/** What scanning a span gives besides the offset where it closed. */
const GOES_ON = -1;
const GIVE_UP = -2;

/**
 * `text` with the lines of every top-level key not in `wanted` emptied, or undefined when the scan cannot
 * be sure of the file's top-level keys (then read the whole text). `text` itself when nothing is blanked.
 */
export function readSections(text: string, wanted: ReadonlySet<string>): string | undefined {
  if (text.includes('\r') && LONE_CR.test(text)) return undefined;
  return new SectionScan(text, wanted).run();
}

/**
 * `load` of the sections of `text` where the scan can tell them apart and what is left loads (`loaded`);
 * `load` of the whole text otherwise, so a broken file gives the error it always did. Without `sections`,
 * the whole text.
 */
export function loadSections<T>(text: string, sections: ReadonlySet<string> | undefined, load: (text: string) => T, loaded: (result: T) => boolean): T {
  const partial = sections ? readSections(text, sections) : undefined;
  if (partial !== undefined && partial !== text) {
    const result = load(partial);
    if (loaded(result)) return result;
  }
  return load(text);
}

class SectionScan {
  private mode: Mode = 'block';
  /** Block scalar and plain scalar: the column its continuation lines must be indented past. */
  private owner = -1;
  /** Block scalar: the indentation of its first content line, once seen. */
  private contentIndent = -1;
  /** The column of a key or `-` whose node starts on a later line (`key:` alone), or -1. */
  private opener = -1;
  /** A span: the quote it is inside (0 for none), and in a flow collection its depth. */
  private quote = 0;
  private flowDepth = 0;
  /** Flow collections: whether a quote here would open a quoted scalar (after `[`, `{`, `,` or a `:` indicator). */
  private atNodeStart = false;
  private afterQuoted = false;

  /** The offset where the current line starts: columns are measured from it. */
  private lineStart = 0;
  private readonly pieces: string[] = [];
  /** Offset where the kept text being copied began, or -1 while blanking. */
  private keptFrom = 0;
  private blankedLines = 0;
  private keysInDocument = 0;
  private keptInDocument = 0;
  private keptAny = false;

  constructor(private readonly text: string, private readonly wanted: ReadonlySet<string>) {}

  run(): string | undefined {
    const text = this.text;
    for (let start = 0; start <= text.length;) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const lineEnd = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      if (!this.line(start, lineEnd)) return undefined;
      if (newline < 0) break;
      if (this.keptFrom < 0) this.blankedLines++;
      start = newline + 1;
    }
    if (this.mode === 'span' || !this.documentEnded() || !this.keptAny) return undefined;
    if (this.keptFrom === 0) return text;
    this.pieces.push(this.keptFrom < 0 ? '\n'.repeat(this.blankedLines) : text.slice(this.keptFrom));
    return this.pieces.join('');
  }

  /** One line, `lineEnd` before its line break. False where the scan gives up. */
  private line(start: number, lineEnd: number): boolean {
    this.lineStart = start;
    if (this.mode === 'span') return this.spanLine(start, lineEnd);
    const indent = this.spacesFrom(start, lineEnd) - start;
    const blank = start + indent === lineEnd;
    if (this.mode === 'blockScalar' && this.inBlockScalar(indent, blank)) return true;
    if (this.mode === 'plain' && (blank || indent > this.owner)) return true;
    this.mode = 'block';
    return blank || this.structural(start, indent, lineEnd);
  }

  private inBlockScalar(indent: number, blank: boolean): boolean {
    if (blank) return true;
    if (this.contentIndent < 0) {
      if (indent <= this.owner) return false;
      this.contentIndent = indent;
      return true;
    }
    return indent >= this.contentIndent;
  }

  /** A line of YAML structure: a comment, a document marker, a key, a sequence entry or a value on its own line. */
  private structural(start: number, indent: number, lineEnd: number): boolean {
    const at = start + indent;
    const c = this.text.charCodeAt(at);
    if (c === TAB) return false;
    if (c === HASH) return true;
    if (indent > 0) return this.node(at, lineEnd);
    if (this.text.startsWith('---', at) && this.blankOrComment(at + 3, lineEnd)) return this.newDocument(start);
    TOP_KEY.lastIndex = at;
    const key = TOP_KEY.exec(this.text);
    if (key) {
      this.section(start, key[0]);
      return this.value(this.text.indexOf(':', at + key[0].length) + 1, lineEnd, 0);
    }
    // at column 0 only a `- ` entry (of the key above) may follow: `-x: 1` is a key no section starts at
    return c === DASH && this.spaceOrEnd(at + 1, lineEnd) && this.node(at, lineEnd);
  }

  /** Entries, keys and values below the top level; `at` is the line's first character. */
  private node(at: number, lineEnd: number): boolean {
    let p = at;
    let dash = -1;
    while (this.text.charCodeAt(p) === DASH && this.spaceOrEnd(p + 1, lineEnd)) {
      dash = p;
      p = this.spacesFrom(p + 1, lineEnd);
    }
    if (p >= lineEnd || this.text.charCodeAt(p) === HASH) {
      this.opener = this.column(dash);
      return true;
    }
    const afterKey = this.keyEnd(p, lineEnd);
    if (afterKey >= 0) return this.value(afterKey, lineEnd, this.column(p));
    // a value on a line of its own: of the `-` before it, or of the key or `-` that opened it
    if (dash >= 0) return this.value(p, lineEnd, this.column(dash));
    const opener = this.opener;
    return opener >= 0 && this.column(p) > opener && this.value(p, lineEnd, opener);
  }

  /** After `key:` or `-`, or on its own line: the node that starts at `from`; `owner` is its parent's column. */
  private value(from: number, lineEnd: number, owner: number): boolean {
    const p = this.spacesFrom(from, lineEnd);
    this.opener = -1;
    if (p >= lineEnd || this.text.charCodeAt(p) === HASH) {
      this.opener = owner;
      return true;
    }
    const c = this.text.charCodeAt(p);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) return this.startSpan(p + 1, lineEnd, c, 0);
    if (c === OPEN_BRACKET || c === OPEN_BRACE) return this.startSpan(p, lineEnd, 0, 0);
    if (c === PIPE || c === GREATER) return this.blockScalar(p + 1, lineEnd, owner);
    if (UNFOLLOWED_NODE_START.has(c)) return false;
    this.mode = 'plain';
    this.owner = owner;
    return true;
  }

  /** `|` or `>` with at most a `-`: no keep chomping, no explicit indentation. */
  private blockScalar(from: number, lineEnd: number, owner: number): boolean {
    const p = this.text.charCodeAt(from) === DASH ? from + 1 : from;
    if (!this.blankOrComment(p, lineEnd)) return false;
    this.mode = 'blockScalar';
    this.owner = owner;
    this.contentIndent = -1;
    return true;
  }

  /**
   * Where a key on this line ends (after its colon), or -1 when the line holds no key. A key is plain
   * (up to the first `: `, unless a comment comes first) or quoted on this line.
   */
  private keyEnd(at: number, lineEnd: number): number {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = closingQuote(text, at + 1, lineEnd, c);
      if (close < 0) return -1;
      const p = this.spacesFrom(close, lineEnd);
      return text.charCodeAt(p) === COLON && this.spaceOrEnd(p + 1, lineEnd) ? p + 1 : -1;
    }
    if (c === OPEN_BRACKET || c === OPEN_BRACE || UNFOLLOWED_NODE_START.has(c)) return -1;
    // the first `: ` ends a plain key, unless a comment starts before it (a loop bounded by the line: a
    // search such as indexOf would look on to the end of the text, once per line)
    for (let i = at; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON && this.spaceOrEnd(i + 1, lineEnd)) return i + 1;
      if (ch === HASH && isSpace(text.charCodeAt(i - 1))) return -1;
    }
    return -1;
  }

  /** A quoted scalar (`quote` after its opening quote) or a flow collection (at its bracket) starting at `from`. */
  private startSpan(from: number, lineEnd: number, quote: number, depth: number): boolean {
    this.mode = 'span';
    this.quote = quote;
    this.flowDepth = depth;
    this.atNodeStart = false;
    this.afterQuoted = false;
    return this.scanSpan(from, lineEnd);
  }

  /** A line inside a multi-line span; a column-0 line there is where this scan could disagree with YAML. */
  private spanLine(start: number, lineEnd: number): boolean {
    if (start < lineEnd && !isSpace(this.text.charCodeAt(start))) return false;
    return this.scanSpan(start, lineEnd);
  }

  /** Scans the span from `from`; once it closes, the rest of the line may hold only a comment. */
  private scanSpan(from: number, lineEnd: number): boolean {
    const closed = this.quote !== 0 && this.flowDepth === 0 ? this.scanQuoted(from, lineEnd) : this.scanFlow(from, lineEnd);
    if (closed === GIVE_UP) return false;
    if (closed === GOES_ON) return true;
    this.mode = 'block';
    this.opener = -1;
    return this.blankOrComment(closed, lineEnd);
  }

  /** A quoted scalar outside any flow collection: the offset after its closing quote, or GOES_ON. */
  private scanQuoted(from: number, lineEnd: number): number {
    const close = closingQuote(this.text, from, lineEnd, this.quote);
    if (close < 0) return GOES_ON;
    this.quote = 0;
    return close;
  }

  /**
   * A flow collection: quoted scalars inside it (opened only where a node starts: YAML reads `a "b` as one
   * plain scalar), nested brackets, comments. The offset after its last closing bracket, GOES_ON or GIVE_UP.
   */
  private scanFlow(from: number, lineEnd: number): number {
    const text = this.text;
    for (let i = from; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (this.quote === 0 && (c >= 128 || !FLOW_SPECIAL[c])) {
        // a run of plain characters at once: it only means no node starts here (most of a JSON-like log)
        FLOW_PLAIN_RUN.lastIndex = i;
        FLOW_PLAIN_RUN.test(text);
        i = Math.min(FLOW_PLAIN_RUN.lastIndex, lineEnd) - 1;
        this.atNodeStart = false;
        this.afterQuoted = false;
      } else if (this.quote !== 0) {
        const close = closingQuote(text, i, lineEnd, this.quote);
        if (close < 0) return GOES_ON;
        this.quote = 0;
        this.afterQuoted = true;
        i = close - 1;
      } else if (c === HASH && (i === from || isSpace(text.charCodeAt(i - 1)))) {
        return GOES_ON;
      } else if (!this.flowCharacter(c, text.charCodeAt(i + 1), i + 1 >= lineEnd)) {
        return GIVE_UP;
      } else if (this.flowDepth === 0) {
        return i + 1;
      }
    }
    return GOES_ON;
  }

  /** One character of a flow collection outside quotes; false where the scan gives up. */
  private flowCharacter(c: number, next: number, atEnd: boolean): boolean {
    if (c === SPACE || c === TAB) return true;
    const nodeStart = this.atNodeStart;
    const afterQuoted = this.afterQuoted;
    this.atNodeStart = false;
    this.afterQuoted = false;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      this.flowDepth++;
      this.atNodeStart = true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      this.flowDepth--;
    } else if (c === COMMA) {
      this.atNodeStart = true;
    } else if (c === COLON) {
      // a value indicator: before a space or the line's end, or right after a quoted key (`"a":"b"`)
      this.atNodeStart = afterQuoted || atEnd || isSpace(next) || next === COMMA || next === CLOSE_BRACKET || next === CLOSE_BRACE;
    } else if (nodeStart && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE)) {
      this.quote = c;
    } else if (nodeStart && UNFOLLOWED_NODE_START.has(c)) {
      return false;
    }
    return true;
  }

  /** A top-level key at `start` begins its section: the text from here is kept or blanked. */
  private section(start: number, key: string): void {
    const keep = this.wanted.has(key);
    this.keysInDocument++;
    if (keep) this.keptInDocument++;
    this.keep(start, keep);
  }

  private newDocument(start: number): boolean {
    if (!this.documentEnded()) return false;
    this.keysInDocument = 0;
    this.keptInDocument = 0;
    this.opener = -1;
    this.keep(start, true);
    return true;
  }

  /** A document whose keys were all blanked would read as empty, not as a mapping without them. */
  private documentEnded(): boolean {
    if (this.keptInDocument > 0) this.keptAny = true;
    return this.keysInDocument === 0 || this.keptInDocument > 0;
  }

  private keep(start: number, keep: boolean): void {
    if (keep === this.keptFrom >= 0) return;
    if (keep) {
      this.pieces.push('\n'.repeat(this.blankedLines));
      this.keptFrom = start;
    } else {
      this.pieces.push(this.text.slice(this.keptFrom, start));
      this.keptFrom = -1;
      this.blankedLines = 0;
    }
  }

  /** The column of an offset on the current line, -1 for none. */
  private column(offset: number): number {
    return offset < 0 ? -1 : offset - this.lineStart;
  }

  private spacesFrom(from: number, lineEnd: number): number {
    let p = from;
    while (p < lineEnd && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  private spaceOrEnd(p: number, lineEnd: number): boolean {
    return p >= lineEnd || isSpace(this.text.charCodeAt(p));
  }

  /** Nothing but spaces and tabs from `from`, then maybe a comment (after a space, as YAML wants). */
  private blankOrComment(from: number, lineEnd: number): boolean {
    let p = from;
    while (p < lineEnd && isSpace(this.text.charCodeAt(p))) p++;
    return p >= lineEnd || (this.text.charCodeAt(p) === HASH && p > from);
  }
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * The offset after the quote that closes a scalar opened by `quote`, from `from` on this line; -1 if it
 * goes on. A `"` is escaped by a backslash; a `'` by doubling it. (A loop bounded by the line, as in
 * keyEnd.)
 */
function closingQuote(text: string, from: number, lineEnd: number, quote: number): number {
  for (let i = from; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (quote === DOUBLE_QUOTE && c === BACKSLASH) i++;
    else if (c === quote) {
      if (quote === SINGLE_QUOTE && text.charCodeAt(i + 1) === SINGLE_QUOTE) i++;
      else return i + 1;
    }
  }
  return -1;
}

