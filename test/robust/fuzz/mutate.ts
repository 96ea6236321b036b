import fc from 'fast-check';

/**
 * Fuzz inputs made from seed texts: most are real rules with a few edits (the broken rule an author
 * is halfway through typing), some are token soup of the language, a few are arbitrary strings.
 */

/** Characters and fragments that mean something to at least one of the grammars, plus hostile text. */
export const COMMON_TOKENS = [
  '(', ')', '[', ']', '{', '}', '"', "'", '`', '\\', '|', ':', ',', ';', '*', '?', '=', '==', '!=', '<', '>', '~', '-', '#',
  '\n', '\r\n', '\t', ' ', '  ', '\u0000', '\u00a0', '\ufeff', '\u202e', '\ud800', '\udfff', '😀', 'é',
  ' and ', ' or ', ' not ', 'AND', 'OR', 'NOT', 'in', 'of', 'where', 'by', 'with', 'true', 'null', '0', '-1', '1e999', '0x',
  '&a', '*a', '!!binary', '---', '...', '- ', ': |', '"""', "'''", '${', '%{', '$e.', 'def ', 'return ', 'if ', 'else:',
  '</script>', '<img src=x onerror=alert(1)>', '[x](command:workbench.action.terminal.new)', '(a+)+$',
];

type Edit =
  | { k: 'insert'; at: number; token: string }
  | { k: 'delete'; at: number; len: number }
  | { k: 'duplicate'; at: number; len: number; to: number }
  | { k: 'truncate'; at: number }
  | { k: 'nest'; at: number; open: string; depth: number }
  | { k: 'splice'; at: number; other: number; from: number; len: number };

/** Positions are fractions of the current length, so one edit list fits any seed. */
function editArb(tokens: readonly string[]): fc.Arbitrary<Edit> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const token = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ k: fc.constant('insert' as const), at, token }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 200 }), to: at }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('truncate' as const), at }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('nest' as const), at, open: fc.constantFrom('(', '[', '{', 'not ', '- ', '  ', '(('), depth: fc.integer({ min: 1, max: 3000 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('splice' as const), at, other: fc.nat(), from: at, len: fc.integer({ min: 1, max: 300 }) }) },
  );
}

function applyEdit(text: string, edit: Edit, seeds: readonly string[]): string {
  const pos = (f: number, t = text) => Math.floor(f * t.length);
  const i = pos(edit.at);
  switch (edit.k) {
    case 'insert': return text.slice(0, i) + edit.token + text.slice(i);
    case 'delete': return text.slice(0, i) + text.slice(i + edit.len);
    case 'duplicate': return text.slice(0, pos(edit.to)) + text.slice(i, i + edit.len) + text.slice(pos(edit.to));
    case 'truncate': return text.slice(0, i);
    case 'nest': return text.slice(0, i) + edit.open.repeat(edit.depth) + text.slice(i);
    case 'splice': {
      const other = seeds[edit.other % seeds.length] ?? '';
      const from = pos(edit.from, other);
      return text.slice(0, i) + other.slice(from, from + edit.len) + text.slice(i);
    }
  }
}

/** A seed with one to `maxEdits` edits. */
export function mutatedArb(seeds: readonly string[], tokens: readonly string[], maxEdits = 8): fc.Arbitrary<string> {
  return fc.record({ seed: fc.nat({ max: seeds.length - 1 }), edits: fc.array(editArb(tokens), { minLength: 1, maxLength: maxEdits }) })
    .map(({ seed, edits }) => edits.reduce((text, edit) => applyEdit(text, edit, seeds), seeds[seed] ?? ''));
}

/** Mutated seeds (most), token soup, and arbitrary strings. */
export function inputArb(seeds: readonly string[], languageTokens: readonly string[]): fc.Arbitrary<string> {
  const tokens = [...COMMON_TOKENS, ...languageTokens];
  return fc.oneof(
    { weight: 14, arbitrary: mutatedArb(seeds, tokens) },
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((parts) => parts.join(' ')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
}
