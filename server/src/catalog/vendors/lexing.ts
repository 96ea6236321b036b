/**
 * Helpers the query lexers share. They test text in place: a slice taken only to test a pattern, or
 * a regular expression literal evaluated in a loop (a new RegExp object each time), made most of a
 * cold index's garbage.
 */

const BLANK = /\s/;

/**
 * Whether one character is whitespace as `\s` has it. The lexers ask once per character: ASCII is
 * decided by its code, and only characters above it are tested with the pattern.
 */
export function isBlank(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && BLANK.test(ch));
}

/** [0-9], by character code. */
export const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;

/** [A-Za-z], by character code. */
export const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** [A-Za-z_], by character code: where a name may start. */
export const isAsciiWordStart = (c: number): boolean => isAsciiLetter(c) || c === 95;

/** [A-Za-z0-9_], by character code: the rest of a name. */
export const isAsciiWordChar = (c: number): boolean => isAsciiWordStart(c) || isAsciiDigit(c);

/** A sticky (`y`) pattern's match at `at`, or undefined. */
export function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text) ?? undefined;
}

/** The first of `candidates` that `text` has at `at` (list longer operators first), or undefined. */
export function prefixAt(candidates: readonly string[], text: string, at: number): string | undefined {
  for (const candidate of candidates) if (text.startsWith(candidate, at)) return candidate;
  return undefined;
}
