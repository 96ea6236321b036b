import { allTechniqueIds, parentOf, ruleIsUnder, techniqueInfo, translate } from '../catalog/attack/attack';
import type { RuleRecord } from '../catalog/record';

/** One entry of the technique quick pick. */
export interface TechniqueEntry {
  id: string;
  name: string;
  tactics: string[];
  rules: number;
  /** The same behaviour in the other ATT&CK version, so a search by either id or name finds it. */
  equivalents: { id: string; name: string }[];
}

/** Techniques a record could be under: its tags in both versions and their parents (checked after). */
function candidates(record: RuleRecord): Set<string> {
  const out = new Set<string>();
  for (const tag of record.techniques) {
    for (const id of translate(tag, 'both')) {
      out.add(id);
      out.add(parentOf(id));
    }
  }
  return out;
}

/**
 * Every known technique with the number of catalog rules under it (the contract's matching across
 * ATT&CK versions), techniques with rules first. One pass over the records, not one per technique.
 */
export function techniqueList(records: readonly RuleRecord[]): TechniqueEntry[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    for (const id of candidates(record)) {
      if (ruleIsUnder(record.techniques, id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  const entries: TechniqueEntry[] = [];
  for (const id of allTechniqueIds()) {
    const info = techniqueInfo(id);
    if (!info || (info.revoked && !counts.has(id))) continue;
    entries.push({
      id, name: info.name, tactics: info.tactics.map((t) => t.name), rules: counts.get(id) ?? 0,
      equivalents: info.equivalents.map((e) => ({ id: e, name: techniqueInfo(e)?.name ?? '' })),
    });
  }
  return entries.sort((a, b) => b.rules - a.rules || a.id.localeCompare(b.id));
}
