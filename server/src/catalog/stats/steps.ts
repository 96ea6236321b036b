/**
 * A computation that can pause: a generator that yields between slices of its work and returns its
 * result. The language server runs a large technique's overview (100+ ms) in slices of a few
 * milliseconds between requests; everyone else runs it to the end at once with `finish`.
 */
export type Steps<T> = Generator<void, T, void>;

export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Items handled between two pauses: a few hundred microseconds of work on real rules. */
export const ITEMS_PER_SLICE = 16;

/** Whether to pause after item i of a loop. */
export function sliceEnds(i: number, per = ITEMS_PER_SLICE): boolean {
  return i % per === per - 1;
}
