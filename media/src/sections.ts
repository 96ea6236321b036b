import type { PanelView } from '../../server/src/panel/aggregate';
import { limitOf, PAGE, type PanelContext } from './context';
import { button, fmt, h, icon, plural, type Child } from './dom';
import { ruleList } from './rules';

function heading(id: string, codicon: string, title: string, count: string, note?: string): HTMLElement[] {
  return [
    h('h2', { id: `${id}-h`, tabindex: -1 }, icon(codicon), title, h('span', { class: 'dl-count', 'data-section-count': id }, count)),
    ...(note ? [h('p', { class: 'dl-note' }, note)] : []),
  ];
}

function more(ctx: PanelContext, section: string, shown: number, total: number): HTMLElement | undefined {
  if (total <= shown) return undefined;
  return button([icon('chevron-down'), `Show ${fmt(Math.min(PAGE, total - shown))} more`, h('span', { class: 'dl-muted' }, ` (${fmt(total - shown)} hidden)`)],
    { class: 'dl-more', 'data-focus': `more:${section}`, 'data-more': section }, () => {
      ctx.limits.set(section, shown + PAGE);
      ctx.rerender();
    });
}

/** A bar inside a cell, as wide as value/max; its number is the cell's text. */
function bar(value: number, max: number, kind = ''): HTMLElement {
  const fill = h('span', { class: `dl-bar-fill ${kind}` });
  fill.style.width = `${Math.max(2, (value / Math.max(1, max)) * 100)}%`;
  return h('span', { class: 'dl-bar', 'aria-hidden': 'true' }, fill);
}

function table(section: string, caption: string, head: string[], rows: HTMLElement[]): HTMLElement {
  return h('table', { class: 'dl-table', 'data-table': section },
    h('caption', { class: 'dl-sr' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows));
}

function code(text: string): HTMLElement {
  return h('code', { class: 'dl-value' }, text === '' ? '(empty)' : text);
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'dl-empty' }, icon('info'), text);
}

export function eventsSection(ctx: PanelContext): HTMLElement {
  const events = ctx.view.events;
  const shown = events.slice(0, limitOf(ctx, 'events'));
  const max = events[0]?.rules ?? 1;
  const rows = shown.map((e) => h('tr', { 'data-row': 'event' },
    h('td', {}, e.provider), h('td', {}, h('span', { class: 'dl-strong' }, e.event)), h('td', { class: 'dl-muted' }, e.title),
    h('td', { class: 'dl-num' }, h('span', { class: 'dl-num-bar' }, bar(e.rules, max), h('span', { 'data-n': '' }, fmt(e.rules))))));
  return h('section', { id: 'events', class: 'dl-section', 'aria-labelledby': 'events-h' },
    ...heading('events', 'pulse', 'Events covered', plural(events.length, 'event'), 'Catalog events that at least one rule under this technique reads.'),
    events.length ? table('events', 'Events covered', ['Provider', 'Event', 'Title', 'Rules'], rows) : empty('No events for these rules.'),
    more(ctx, 'events', shown.length, events.length));
}

function opsText(ops: PanelView['fields'][number]['ops']): string {
  return Object.entries(ops).map(([op, n]) => `${op} ${n}`).join(' · ');
}

/** The most filtered fields as a horizontal bar chart (top 12), each bar labelled with its count. */
function fieldChart(fields: PanelView['fields']): HTMLElement {
  const top = fields.slice(0, 12);
  const max = top[0]?.rules ?? 1;
  return h('div', { class: 'dl-chart', role: 'img', 'aria-label': `Fields filtered most: ${top.map((f) => `${f.field} ${f.rules}`).join(', ')}` },
    ...top.map((f) => {
      const fill = h('span', { class: 'dl-chart-fill' });
      fill.style.width = `${(f.rules / max) * 100}%`;
      return h('div', { class: 'dl-chart-row', 'data-chart-row': f.field },
        h('span', { class: 'dl-chart-label', title: f.field }, f.field),
        h('span', { class: 'dl-chart-track' }, fill),
        h('span', { class: 'dl-chart-value' }, fmt(f.rules)));
    }));
}

export function fieldsSection(ctx: PanelContext): HTMLElement {
  const fields = ctx.view.fields;
  const shown = fields.slice(0, limitOf(ctx, 'fields'));
  const rows = shown.map((f) => h('tr', { 'data-row': 'field' },
    h('td', {}, h('code', { class: 'dl-field' }, f.field)),
    h('td', { class: 'dl-num' }, h('span', { 'data-n': '' }, fmt(f.rules))),
    h('td', { class: 'dl-muted' }, opsText(f.ops)),
    h('td', {}, ...f.samples.map((s) => code(s)))));
  return h('section', { id: 'fields', class: 'dl-section', 'aria-labelledby': 'fields-h' },
    ...heading('fields', 'symbol-field', 'Fields filtered most', plural(fields.length, 'field'), 'Normalized field names; operators with the rules using each, and the most common values.'),
    fields.length ? fieldChart(fields) : empty('No fields for these rules.'),
    fields.length ? table('fields', 'Fields filtered most', ['Field', 'Rules', 'Operators', 'Sample values'], rows) : undefined,
    more(ctx, 'fields', shown.length, fields.length));
}

function expander(ctx: PanelContext, key: string, rules: number): HTMLElement {
  const open = ctx.expanded.has(key);
  return button([icon(open ? 'chevron-down' : 'chevron-right'), plural(rules, 'rule')],
    { class: 'dl-expander', 'aria-expanded': open ? 'true' : 'false', 'data-focus': `expand:${key}`, title: open ? 'Hide the rules' : 'Show the rules' }, () => {
      if (open) ctx.expanded.delete(key);
      else ctx.expanded.add(key);
      ctx.rerender();
    });
}

function listRow(ctx: PanelContext, key: string, columns: number, ids: number[]): HTMLElement | undefined {
  if (!ctx.expanded.has(key)) return undefined;
  return h('tr', { class: 'dl-list-row' }, h('td', { colspan: columns }, ruleList(ctx, ids)));
}

/** Corpus reach on a log scale, so 2 and 300 are both visible, with the noisy threshold marked. */
function reachCell(ctx: PanelContext, reach: number, maxReach: number): HTMLElement {
  const noisy = ctx.model.noisyReach > 0 && reach >= ctx.model.noisyReach;
  const scale = (n: number) => Math.log10(Math.max(1, n)) / Math.log10(Math.max(10, maxReach));
  const fill = h('span', { class: `dl-bar-fill ${noisy ? 'dl-noisy' : 'dl-quiet'}` });
  fill.style.width = `${Math.max(2, scale(reach) * 100)}%`;
  const track = h('span', { class: 'dl-bar dl-reach', 'aria-hidden': 'true' }, fill);
  if (ctx.model.noisyReach > 0) {
    const mark = h('span', { class: 'dl-threshold' });
    mark.style.left = `${scale(ctx.model.noisyReach) * 100}%`;
    track.appendChild(mark);
  }
  return h('td', { class: `dl-num${noisy ? ' dl-noisy-cell' : ''}` }, h('span', { class: 'dl-num-bar' }, track,
    h('span', { 'data-n': '' }, fmt(reach)),
    noisy ? h('span', { class: 'dl-noisy-tag', title: `Used by ${fmt(reach)} catalog rules: at or above the noisy threshold of ${fmt(ctx.model.noisyReach)}` }, icon('warning'), 'noisy') : undefined));
}

export function indicatorsSection(ctx: PanelContext): HTMLElement {
  const list = ctx.view.indicators;
  const shown = list.slice(0, limitOf(ctx, 'indicators'));
  const maxReach = Math.max(10, ...Object.values(ctx.model.reach));
  const maxHere = list[0]?.rules ?? 1;
  const rows = shown.flatMap((row) => {
    const key = `ind:${row.field}\u0000${row.op}\u0000${row.value}`;
    return [h('tr', { 'data-row': 'indicator' },
      h('td', {}, code(row.value)), h('td', {}, h('code', { class: 'dl-field' }, row.field)), h('td', { class: 'dl-muted' }, row.op),
      h('td', { class: 'dl-num' }, h('span', { class: 'dl-num-bar' }, bar(row.rules, maxHere), h('span', { 'data-n': '' }, fmt(row.rules)))),
      reachCell(ctx, row.reach, maxReach),
      h('td', {}, expander(ctx, key, row.rules))), listRow(ctx, key, 6, row.ruleIds)];
  }).filter((r): r is HTMLElement => r !== undefined);
  const note = `Corpus reach: rules in the whole catalog (${fmt(ctx.model.catalogRules)}) testing the same field, operator and value, on a log scale${ctx.model.noisyReach > 0 ? `; from ${fmt(ctx.model.noisyReach)} an indicator is noisy on its own (the line marks it)` : ''}. Filters change the rules here, never the reach.`;
  return h('section', { id: 'indicators', class: 'dl-section', 'aria-labelledby': 'indicators-h' },
    ...heading('indicators', 'symbol-constant', 'Top indicator values', plural(list.length, 'value'), note),
    list.length ? table('indicators', 'Top indicator values', ['Value', 'Field', 'Op', 'Rules here', 'Corpus reach', ''], rows) : empty('No indicator values for these rules.'),
    more(ctx, 'indicators', shown.length, list.length));
}

function addButton(ctx: PanelContext, row: PanelView['exclusions'][number]): Child {
  const host = ctx.host;
  if (!host) return undefined;
  return button([icon('add'), 'Add to current rule'],
    { class: 'dl-button-secondary', title: `Add a filter excluding ${row.field} ${row.op} ${row.value} to the Sigma rule in the active editor`, 'data-focus': `add:${row.field}\u0000${row.op}\u0000${row.value}` },
    () => host.postMessage({ type: 'addExclusion', field: row.field, op: row.op, value: row.value }));
}

export function exclusionsSection(ctx: PanelContext): HTMLElement {
  const list = ctx.view.exclusions;
  const shown = list.slice(0, limitOf(ctx, 'exclusions'));
  const max = list[0]?.rules ?? 1;
  const rows = shown.flatMap((row) => {
    const key = `exc:${row.field}\u0000${row.op}\u0000${row.value}`;
    return [h('tr', { 'data-row': 'exclusion' },
      h('td', {}, code(row.value)), h('td', {}, h('code', { class: 'dl-field' }, row.field)), h('td', { class: 'dl-muted' }, row.op),
      h('td', { class: 'dl-num' }, h('span', { class: 'dl-num-bar' }, bar(row.rules, max, 'dl-exclusion'), h('span', { 'data-n': '' }, fmt(row.rules)))),
      h('td', {}, h('span', { class: 'dl-actions' }, expander(ctx, key, row.rules), addButton(ctx, row)))), listRow(ctx, key, 5, row.ruleIds)];
  }).filter((r): r is HTMLElement => r !== undefined);
  return h('section', { id: 'exclusions', class: 'dl-section', 'aria-labelledby': 'exclusions-h' },
    ...heading('exclusions', 'filter', 'Exclusions', plural(list.length, 'exclusion'), 'Values the rules here filter out as false positives, most applied first.'),
    list.length ? table('exclusions', 'Exclusions', ['Value', 'Field', 'Op', 'Rules', ''], rows) : empty('No exclusions in these rules.'),
    more(ctx, 'exclusions', shown.length, list.length));
}
