/**
 * A counter of distinct rules per key. Rules are almost always added in rule order, so each key keeps
 * the ids it has seen as a list and skips a repeat of the last one: no Set per key (an overview of a
 * large technique tallies tens of thousands of values, and the Sets were most of its time and garbage).
 */
interface Entry {
  ids: number[];
  last: number;
}

export class RuleTally<K extends string = string> {
  private readonly rules = new Map<K, Entry>();

  add(key: K, rule: number): void {
    const entry = this.rules.get(key);
    if (!entry) this.rules.set(key, { ids: [rule], last: rule });
    else if (rule > entry.last) {
      entry.ids.push(rule);
      entry.last = rule;
    } else if (rule !== entry.last && !entry.ids.includes(rule)) entry.ids.push(rule); // out of order: still distinct
  }

  count(key: K): number {
    return this.rules.get(key)?.ids.length ?? 0;
  }

  /** The rules of a key, in the order they were first added. */
  ruleIds(key: K): number[] {
    return [...(this.rules.get(key)?.ids ?? [])];
  }

  /** Keys by rule count, most first; ties in key order so output is stable. */
  ranked(): { key: K; count: number }[] {
    return [...this.rules]
      .map(([key, entry]) => ({ key, count: entry.ids.length }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get size(): number {
    return this.rules.size;
  }
}

/** Spellings of one key: most keys only ever see one, so the map is made on the second. */
interface SpellingEntry {
  first: string;
  count: number;
  all?: Map<string, number>;
}

/** Counts spellings of case-insensitively equal values, to show the most common one. */
export class Spellings {
  private readonly byKey = new Map<string, SpellingEntry>();

  add(key: string, spelling: string): void {
    const entry = this.byKey.get(key);
    if (!entry) this.byKey.set(key, { first: spelling, count: 1 });
    else if (!entry.all && spelling === entry.first) entry.count++;
    else {
      entry.all ??= new Map([[entry.first, entry.count]]);
      entry.all.set(spelling, (entry.all.get(spelling) ?? 0) + 1);
    }
  }

  /**
   * The most common spelling; on a tie, the first in code-unit order. Not the one seen first: the
   * order rules reach a catalog is the order its parse threads answered in, which varies from one
   * index to the next.
   */
  best(key: string, fallback: string): string {
    const entry = this.byKey.get(key);
    if (!entry) return fallback;
    if (!entry.all) return entry.first;
    let best = fallback;
    let most = -1;
    for (const [spelling, n] of entry.all) if (n > most || (n === most && spelling < best)) [best, most] = [spelling, n];
    return best;
  }
}

/**
 * Adds `by` to a key's count, dropping the key at zero: the catalog's live views count rules in and out
 * as files change, and a rule removed must leave nothing behind.
 */
export function bumpCount<K>(map: Map<K, number>, key: K, by = 1): void {
  const next = (map.get(key) ?? 0) + by;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
