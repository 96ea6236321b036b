import fc from 'fast-check';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { discover } from '../../server/src/catalog/discovery';
import { contextFor, parseText } from '../../server/src/catalog/indexer';
import { PANTHER_SECTIONS } from '../../server/src/catalog/vendors/panther';
import { SENTINEL_SECTIONS } from '../../server/src/catalog/vendors/sentinel';
import { SIGMA_SECTIONS } from '../../server/src/catalog/vendors/sigma';
import { SPLUNK_SECTIONS } from '../../server/src/catalog/vendors/splunk';
import { readSections } from '../../server/src/catalog/vendors/yamlSections';
import { corpus, corpusMissing } from '../helpers/paths';
import { agreesWithWholeText } from '../helpers/sections';

const wanted = (...keys: string[]): ReadonlySet<string> => new Set(keys);
const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;

describe('reading only the top-level sections a parser uses', () => {
  it('empties the lines of the other keys, so every line keeps its number', () => {
    const text = lines('title: t', 'description: |', '  long text', '  more', 'detection:', '  selection:', '    Image: x', 'references:', '  - https://a', 'level: high');
    assert.equal(readSections(text, wanted('title', 'detection')), lines('title: t', '', '', '', 'detection:', '  selection:', '    Image: x', '', '', ''));
  });

  it('gives the text itself back when every key is wanted', () => {
    const text = lines('title: t', 'detection: {}');
    assert.equal(readSections(text, wanted('title', 'detection')), text);
  });

  it('a quoted or flow value that goes on at column 0 (js-yaml allows it) is given up on, never split at a key-like line', () => {
    for (const text of [
      lines('description: "first line', 'title: inside the quotes"', 'title: real'),
      lines("description: 'it''s", 'title: inside'),
      lines('description: [a, "b', 'title: c", d]', 'title: real'),
    ]) assert.equal(readSections(text, wanted('title')), undefined, text);
  });

  it('follows quoted scalars and flow collections over lines, quotes and brackets inside them too', () => {
    const tests = lines('Tests:', '  - Log:', '      {', '        "a": "x, ]",', '        "b": [1, 2] # c ]', '      }', 'RuleID: r');
    assert.equal(readSections(tests, wanted('RuleID')), lines('', '', '', '', '', '', 'RuleID: r'));
  });

  it('a quote inside a plain flow item is text, so the quoted scalar after it is followed over the line break', () => {
    // js-yaml: x is ['w "q', 'c] Foo: d'], and Foo is no key; a scan that took `"q, "` for a string would split there
    assert.equal(readSections(lines('x: [w "q, "c]', 'Foo: d"]'), wanted('Foo')), undefined);
  });

  it('follows block scalars and plain scalars continued over lines', () => {
    const text = lines('search: |', '  index=x "unbalanced', '  | where a="[" ', '', 'description: a plain', '  text "still text', '  and more', 'name: n');
    assert.equal(readSections(text, wanted('search', 'name')), lines('search: |', '  index=x "unbalanced', '  | where a="[" ', '', '', '', '', 'name: n'));
  });

  it('keeps the document markers of a multi-document file, and gives up on a document left with no key', () => {
    const text = lines('action: global', 'title: t', '---', 'detection: {}', 'falsepositives: [x]');
    assert.equal(readSections(text, wanted('action', 'title', 'detection')), lines('action: global', 'title: t', '---', 'detection: {}', ''));
    assert.equal(readSections(lines('title: t', '---', 'references: [x]'), wanted('title')), undefined);
    assert.equal(readSections(lines('references: [x]'), wanted('title')), undefined);
  });

  for (const [what, text] of [
    ['an anchor (an alias in a kept key may name it)', lines('description: &d x', 'title: *d')],
    ['keep chomping (the emptied lines would join the text)', lines('title: |+', '  x', 'description: y')],
    ['an explicit indentation indicator', lines('title: |2', '   x', 'description: y')],
    ['a tag', lines('title: !!str 5', 'description: y')],
    ['a tab for indentation', lines('title:', '\t- x', 'description: y')],
    ['a lone CR (a line break to YAML)', 'title: t\rdescription: y\n'],
    ['a quoted key at column 0', lines('"title": t', 'description: y')],
    ['a key at column 0 that starts with a dash (found by fuzzing: no section started there)', lines('-x: 1', 'title: t')],
    ['a column-0 line inside a multi-line span', lines('description: "a', 'b"', 'title: t')],
    ['an unclosed span at the end', lines('title: t', 'description: "a')],
    ['a value on a line of its own with nothing to belong to', lines('title: "t"', '  stray', 'description: y')],
  ] as const) {
    it(`gives up on ${what}`, () => assert.equal(readSections(text, wanted('title')), undefined));
  }

  it('agrees with js-yaml on generated YAML with every construct it follows (property)', () => {
    let compared = 0;
    const runs = 4000;
    fc.assert(fc.property(yamlDocument(), fc.subarray(KEYS, { minLength: 1 }), (text, keys) => {
      if (agreesWithWholeText(text, new Set(keys)) === 'compared') compared++;
    }), { numRuns: runs, seed: 1128 });
    // the generator must mostly make YAML that loads and that the scan reads, or the property says little
    assert.ok(compared > runs / 3, `only ${compared} of ${runs} generated texts were compared`);
  });
});

const KEYS = ['title', 'detection', 'Note', 'search', 'x'];
const WORDS = ['a', 'b c', 'Note: x', 'title: y', '"q', "it's", '[', ']', '{', '}', ',', '#', ' #c', 'x #', '\\"', "''", ':', '- z', '*'];

/** A YAML document of top-level keys whose values use every construct the scan follows, valid more often than not. */
function yamlDocument(): fc.Arbitrary<string> {
  return fc.array(fc.nat(), { minLength: 40, maxLength: 160 }).map((choices) => new Writer(choices).document());
}

class Writer {
  private at = 0;
  private readonly out: string[] = [];
  constructor(private readonly choices: number[]) {}

  private pick(n: number): number {
    return (this.choices[this.at++ % this.choices.length] ?? 0) % n;
  }

  private word(): string {
    return WORDS[this.pick(WORDS.length)] as string;
  }

  document(): string {
    const entries = 1 + this.pick(6);
    for (let i = 0; i < entries; i++) {
      if (this.pick(8) === 0) this.out.push(this.pick(2) ? '# note: x' : '');
      if (i > 0 && this.pick(12) === 0) this.out.push('---');
      this.entry(KEYS[this.pick(KEYS.length)] as string, 0, 0);
    }
    return `${this.out.join('\n')}\n`;
  }

  /** `head: value` at `indent`, the value nested at most three levels further. */
  private entry(head: string, indent: number, depth: number): void {
    const pad = ' '.repeat(indent);
    switch (this.pick(depth < 3 ? 9 : 5)) {
      case 0: return void this.out.push(`${pad}${head}: ${this.plain()}`);
      case 1: return this.quoted(`${pad}${head}: `, indent);
      case 2: return this.flow(`${pad}${head}: `);
      case 3: return this.block(`${pad}${head}: `, indent);
      case 4: return this.plainLines(`${pad}${head}: `, indent);
      case 5: return this.sequence(`${pad}${head}:`, indent, depth + 1);
      default: return this.mapping(`${pad}${head}:`, indent, depth + 1);
    }
  }

  private plain(): string {
    const text = `w${this.word()}`;
    return /[:#]/.test(text) ? 'plain' : text;
  }

  private quoted(prefix: string, indent: number): void {
    const quote = this.pick(2) ? '"' : "'";
    const body = () => this.word().replace(/\\/g, quote === '"' ? '\\\\' : '\\').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '\\"' : "''");
    const rows = [`${prefix}${quote}${body()}`];
    for (let i = this.pick(3); i > 0; i--) rows.push(`${this.pick(10) === 0 ? '' : ' '.repeat(indent + 1)}${body()}`);
    rows[rows.length - 1] += quote;
    this.out.push(...rows);
  }

  private flow(prefix: string): void {
    // quoted items (one over two lines), and plain ones with a quote inside (YAML reads `w "q` as one plain scalar)
    const quoted = (): string => this.word().replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const item = (): string => [
      () => `"${quoted()}"`,
      () => `"${quoted()}\n${this.pick(10) === 0 ? '' : '   '}${quoted()}"`,
      () => `w${this.pick(100)}`,
      () => `w ${this.word().replace(/[,[\]{}#:]/g, '')}`,
    ][this.pick(4)]?.() ?? '';
    const rows = [`${prefix}[${item()}`];
    for (let i = this.pick(4); i > 0; i--) rows.push(`${this.pick(10) === 0 ? '' : '  '}, ${item()}${this.pick(4) === 0 ? ' # ]"' : ''}`);
    rows.push(`${this.pick(2) ? '  ' : ''}]`);
    this.out.push(this.pick(2) ? rows.join(' ').replace(/ # \]"/g, '') : rows.join('\n'));
  }

  private block(prefix: string, indent: number): void {
    this.out.push(`${prefix}${['|', '|-', '>', '>-'][this.pick(4)]}`);
    const pad = ' '.repeat(indent + 2);
    for (let i = 1 + this.pick(3); i > 0; i--) this.out.push(this.pick(5) === 0 ? '' : `${pad}${this.pick(3) ? ' ' : ''}${this.word()}`);
  }

  private plainLines(prefix: string, indent: number): void {
    this.out.push(`${prefix}${this.plain()}`);
    for (let i = this.pick(3); i > 0; i--) this.out.push(`${' '.repeat(indent + 1 + this.pick(3))}more ${this.pick(2) ? '"' : "'"}${this.pick(2) ? '[' : ''}`);
  }

  private sequence(head: string, indent: number, depth: number): void {
    this.out.push(head);
    const dash = this.pick(2) ? indent : indent + 2;
    for (let i = 1 + this.pick(3); i > 0; i--) {
      if (this.pick(3) === 0) this.entry(`${' '.repeat(dash - indent)}- k`, indent, depth);
      else if (this.pick(2)) this.quoted(`${' '.repeat(dash)}- `, dash);
      else this.out.push(`${' '.repeat(dash)}- ${this.plain()}`);
    }
  }

  private mapping(head: string, indent: number, depth: number): void {
    this.out.push(head);
    for (let i = 1 + this.pick(3); i > 0; i--) this.entry(`k${this.pick(4)}`, indent + 2, depth);
  }
}

const SECTIONS = { sigma: SIGMA_SECTIONS, splunk: SPLUNK_SECTIONS, sentinel: SENTINEL_SECTIONS, panther: PANTHER_SECTIONS };
const YAML_VENDORS = Object.keys(SECTIONS) as (keyof typeof SECTIONS)[];
const skip = YAML_VENDORS.map(corpusMissing).find(Boolean) || false;

describe('the corpus read by sections gives the catalog reading whole files would', { skip }, () => {
  for (const vendor of YAML_VENDORS) {
    it(`${vendor}: every YAML file's outcome is the same either way`, async () => {
      const found = await discover([corpus(vendor)]);
      const files = found.files.filter((f) => /\.ya?ml$/i.test(f.relPath));
      const context = await contextFor(corpus(vendor), found.files);
      let read = 0;
      for (const file of files) {
        const text = readFileSync(file.absPath, 'utf8').replace(/^\uFEFF/, '');
        const bySections = parseText(file, text, context);
        const whole = parseText(file, text, { ...context, wholeYaml: true });
        if (!isDeepStrictEqual(bySections, whole)) assert.deepEqual(bySections, whole, file.relPath);
        const partial = readSections(text, SECTIONS[vendor]);
        if (partial !== undefined && partial !== text) read++;
      }
      console.log(`  ${vendor}: ${files.length} YAML files, the same outcome either way; ${read} of them read by sections`);
      // the skipped definitions (Splunk macros and data sources) are not parsed either way
      assert.ok(read > files.length * 0.8, `${read} of ${files.length} read by sections`);
    });
  }
});
