/** A counter of distinct rules per key, remembering the most common spelling of each key. */
export class RuleTally<K extends string = string> {
  private readonly rules = new Map<K, Set<number>>();

  add(key: K, rule: number): void {
    const set = this.rules.get(key);
    if (set) set.add(rule);
    else this.rules.set(key, new Set([rule]));
  }

  count(key: K): number {
    return this.rules.get(key)?.size ?? 0;
  }

  ruleIds(key: K): number[] {
    return [...(this.rules.get(key) ?? [])];
  }

  /** Keys by rule count, most first; ties in key order so output is stable. */
  ranked(): { key: K; count: number }[] {
    return [...this.rules]
      .map(([key, set]) => ({ key, count: set.size }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get size(): number {
    return this.rules.size;
  }
}

/** Counts spellings of case-insensitively equal values, to show the most common one. */
export class Spellings {
  private readonly byKey = new Map<string, Map<string, number>>();

  add(key: string, spelling: string): void {
    const map = this.byKey.get(key) ?? new Map<string, number>();
    map.set(spelling, (map.get(spelling) ?? 0) + 1);
    this.byKey.set(key, map);
  }

  best(key: string, fallback: string): string {
    const map = this.byKey.get(key);
    if (!map) return fallback;
    let best = fallback;
    let most = -1;
    for (const [spelling, n] of map) if (n > most) [best, most] = [spelling, n];
    return best;
  }
}
