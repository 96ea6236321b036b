import { techniqueInfo } from '../catalog/attack/attack';
import { vendorNames } from '../catalog/normalize/fields';
import { eventTitle, eventsFor } from '../catalog/normalize/events';
import { VENDORS, type Predicate } from '../catalog/record';
import type { Overview } from '../catalog/stats/overview';
import type { ReachContext } from './diagnose';
import { commandLink, mdCode, mdText } from './markdown';

/** What a hover needs from the catalog, independent of LSP. */
export interface HoverCatalog {
  overview(technique: string): Overview;
  reach?: ReachContext;
  totalRules: number;
}

const OPEN_OVERVIEW = 'detectionLens.openOverview';

function techniqueLabel(ids: string[]): string {
  return ids.length ? ids.join(', ') : 'no technique tag';
}

function otherVendorNames(field: string): string[] {
  const names = vendorNames(field);
  return VENDORS.filter((v) => v !== 'sigma' && names.has(v)).map((v) => `${v}: ${(names.get(v) ?? []).map(mdCode).join(', ')}`);
}

/** Hover on a field key: usage here and in the whole catalog, operators, samples, other vendors' names. */
export function fieldHover(p: Predicate, techniques: string[], catalog: HoverCatalog): string {
  const lines = [`**${mdText(p.field)}**${p.field !== p.sourceField ? ` (written ${mdCode(p.sourceField)})` : ''} · ${mdCode(p.op)}`, ''];
  for (const t of techniques) {
    const o = catalog.overview(t);
    const row = o.fields.find((f) => f.field === p.field);
    lines.push(`- Under ${t}: **${row?.rules ?? 0}** of ${o.ruleCount} rules filter on it`);
    if (row) {
      lines.push(`  - operators: ${Object.entries(row.ops).map(([op, n]) => `${op} ${n}`).join(', ')}`);
      if (row.samples.length) lines.push(`  - sample values: ${row.samples.map(mdCode).join(', ')}`);
    }
  }
  const corpusRules = catalog.reach?.corpus.rulesWithField(p.field) ?? 0;
  lines.push(`- Whole catalog: **${corpusRules}** of ${catalog.totalRules} rules filter on it`);
  const others = otherVendorNames(p.field);
  if (others.length) lines.push('', `Other vendors: ${others.join(' · ')}`);
  if (techniques.length === 0) lines.push('', '_Tag the rule with an ATT&CK technique to see how rules under it use this field._');
  return lines.join('\n');
}

/** Hover on a value: rules here, corpus reach, and whether that reach makes it noisy alone. */
export function valueHover(p: Predicate, value: string, techniques: string[], catalog: HoverCatalog): string {
  const reach = catalog.reach?.corpus.reachOf(p.field, p.op, value) ?? 0;
  const threshold = catalog.reach?.threshold;
  const lines = [`${mdCode(p.field)} ${mdCode(p.op)} ${mdCode(value)}`, ''];
  for (const t of techniques) {
    const o = catalog.overview(t);
    const row = o.indicators.find((i) => i.field === p.field && i.op === p.op && i.value.toLowerCase() === value.toLowerCase());
    lines.push(`- Rules here (${t}): **${row?.rules ?? 0}**`);
  }
  lines.push(`- Corpus reach: **${reach}** rules in the whole catalog`);
  if (threshold !== undefined && Number.isFinite(threshold)) {
    lines.push(reach >= threshold
      ? `- **Noisy on its own**: high reach starts at ${threshold} rules in this catalog; combine it with a specific test.`
      : `- Specific enough: high reach starts at ${threshold} rules in this catalog.`);
  }
  return lines.join('\n');
}

/** Hover on an ATT&CK tag: name, tactics, equivalents, rules per vendor, and the overview link. */
export function techniqueHover(id: string, catalog: HoverCatalog): string {
  const info = techniqueInfo(id);
  if (!info) return `${mdCode(id)}: not an ATT&CK technique in either version`;
  const o = catalog.overview(id);
  const vendors = VENDORS.filter((v) => o.byVendor[v] > 0).map((v) => `${v} ${o.byVendor[v]}`).join(' · ');
  return [
    `**${id} ${mdText(info.name)}**${info.revoked ? ' (revoked in ATT&CK v19)' : ''}`,
    '',
    `Tactics: ${info.tactics.map((t) => mdText(t.name)).join(', ') || '—'}`,
    info.equivalents.length ? `In the other ATT&CK version: ${info.equivalents.join(', ')}` : '',
    `Rules in the catalog: **${o.ruleCount}**${vendors ? ` (${vendors})` : ''}`,
    '',
    commandLink(`Open the ${id} overview`, OPEN_OVERVIEW, [id]),
  ].filter((l) => l !== '').join('\n\n');
}

/** Hover on `logsource`: the events it covers. */
export function logsourceHover(ls: { product?: string; category?: string; service?: string }, techniques: string[]): string {
  const events = eventsFor('sigma', ls);
  const source = [ls.product, ls.category, ls.service].filter(Boolean).join(' / ') || 'no log source';
  if (events.length === 0) return `**${mdText(source)}**: no catalog events known for this log source (${techniqueLabel(techniques)})`;
  return [`**${mdText(source)}** covers:`, '', ...events.map((e) => `- ${mdText(e.provider)} ${mdText(e.event)}: ${mdText(eventTitle(e.provider, e.event))}`)].join('\n');
}
