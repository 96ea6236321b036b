import type { Overview } from '../catalog/stats/overview';
import { VENDORS } from '../catalog/record';
import { safeText, table } from './terminal';

const TOP = 15;

function section(title: string, body: string): string {
  return `\n${title}\n${'='.repeat(title.length)}\n${body}`;
}

function fieldRows(o: Overview): (string | number)[][] {
  return o.fields.slice(0, TOP).map((f) => [
    f.field, f.rules, Object.entries(f.ops).map(([op, n]) => `${op} ${n}`).join(', '), f.samples.join(', '),
  ]);
}

/** The seed page as a terminal report: the same numbers as --json, the top rows of each section. */
export function overviewText(o: Overview): string {
  const vendors = VENDORS.filter((v) => o.byVendor[v] > 0).map((v) => `${v} ${o.byVendor[v]}`).join(', ');
  const header = [
    `${safeText(o.technique.name)} ${o.technique.id}`,
    `Tactic: ${o.technique.tactics.join(', ') || '—'}`,
    o.technique.equivalents.length ? `Equivalents in the other ATT&CK version: ${o.technique.equivalents.join(', ')}` : '',
    `${o.ruleCount} rules${vendors ? ` (${vendors})` : ''}`,
  ].filter(Boolean).join('\n');
  const events = table(['provider', 'event', 'title', 'rules'], o.events.map((e) => [e.provider, e.event, e.title, e.rules]));
  const fields = table(['field', 'rules', 'how', 'sample values'], fieldRows(o), [40, 6, 50, 70]);
  const indicators = table(
    ['field', 'kind', 'value', 'rules here', 'corpus reach'],
    o.indicators.slice(0, TOP).map((i) => [i.field, i.op, i.value, i.rules, i.reach]), [40, 12, 60],
  );
  const exclusions = table(
    ['field', 'kind', 'value', 'rules excluding'],
    o.exclusions.slice(0, TOP).map((e) => [e.field, e.op, e.value, e.rules]), [40, 12, 60],
  );
  const rules = VENDORS.filter((v) => o.byVendor[v] > 0).map((v) => {
    const list = o.rules.filter((r) => r.vendor === v);
    const shown = list.slice(0, 10).map((r) => `  ${safeText(r.title, 90)}  (${safeText(r.path, 90)})`);
    return [`${v} ${list.length} rules`, ...shown, ...(list.length > 10 ? [`  … ${list.length - 10} more`] : [])].join('\n');
  });
  return [
    header,
    section(`Events covered (${o.events.length})`, events),
    section(`Fields filtered most (${o.fields.length} distinct)`, fields),
    section(`Top indicator values (${o.indicators.length} distinct)`, indicators),
    section(`Exclusions (${o.exclusions.length} distinct)`, exclusions),
    section('Rules under this technique', rules.join('\n\n')),
  ].join('\n');
}
