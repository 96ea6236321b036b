/**
 * Helpers the query lexers share. They test text in place: a slice taken only to test a pattern, or
 * a regular expression literal evaluated in a loop (a new RegExp object each time), made most of a
 * cold index's garbage.
 */

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
