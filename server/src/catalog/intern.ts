import type { RuleRecord } from './record';

/**
 * One copy of each repeated name in the catalog. Records arrive from the parse threads by structured
 * clone, each with its own copy of every string: 50,000 predicates name ~2,500 distinct fields and 15
 * operators, 11,000 records six vendors. Values and titles are mostly distinct and are left alone (a
 * table of them would cost what it saves). Measured on the corpus: about 5 MB of 35.
 */
export class Interner {
  private readonly strings = new Map<string, string>();

  of<T extends string>(s: T): T {
    const known = this.strings.get(s);
    if (known !== undefined) return known as T;
    this.strings.set(s, s);
    return s;
  }

  private all(list: string[]): void {
    for (let i = 0; i < list.length; i++) list[i] = this.of(list[i] as string);
  }

  /** Replaces the record's repeated names by their shared copies, in place. */
  record(record: RuleRecord): void {
    record.vendor = this.of(record.vendor);
    record.language = this.of(record.language);
    this.all(record.techniques);
    this.all(record.platforms);
    for (const event of record.events) {
      event.provider = this.of(event.provider);
      event.event = this.of(event.event);
    }
    for (const p of record.predicates) {
      p.field = this.of(p.field);
      p.sourceField = this.of(p.sourceField);
      p.op = this.of(p.op);
    }
  }
}
