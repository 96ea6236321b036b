/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';

/** What the page shows, read from the DOM as a person would see it (numbers without separators). */
export interface ShownPage {
  kpis: Record<string, number>;
  byVendor: Record<string, number>;
  summary: string;
  events: { provider: string; event: string; rules: number }[];
  chart: { field: string; rules: number }[];
  fields: { field: string; rules: number; ops: string; samples: string[] }[];
  indicators: { value: string; field: string; op: string; rules: number; reach: number; noisy: boolean }[];
  exclusions: { value: string; field: string; op: string; rules: number }[];
  ruleGroups: Record<string, number>;
  ruleLinks: number;
  sectionCounts: Record<string, string>;
}

export function readPage(page: Page): Promise<ShownPage> {
  return page.evaluate(() => {
    const num = (s: string | null | undefined) => Number((s ?? '').replace(/[^0-9]/g, ''));
    const text = (el: Element | null | undefined) => el?.textContent ?? '';
    const cells = (row: Element) => [...row.querySelectorAll(':scope > td')];
    const valueText = (el: Element | undefined) => { const t = text(el?.querySelector('.dl-value')); return t === '(empty)' ? '' : t; };
    const rows = (kind: string) => [...document.querySelectorAll(`tr[data-row="${kind}"]`)];
    const kpis: Record<string, number> = {};
    document.querySelectorAll('[data-kpi]').forEach((el) => { kpis[(el as HTMLElement).dataset.kpi ?? ''] = num(text(el.querySelector('.dl-kpi-value'))); });
    const byVendor: Record<string, number> = {};
    document.querySelectorAll('[data-vendor-count]').forEach((el) => { byVendor[(el as HTMLElement).dataset.vendorCount ?? ''] = num(text(el)); });
    const ruleGroups: Record<string, number> = {};
    document.querySelectorAll('[data-vendor-group]').forEach((el) => { ruleGroups[(el as HTMLElement).dataset.vendorGroup ?? ''] = num(text(el.querySelector('[data-count]'))); });
    const sectionCounts: Record<string, string> = {};
    document.querySelectorAll('[data-section-count]').forEach((el) => { sectionCounts[(el as HTMLElement).dataset.sectionCount ?? ''] = text(el); });
    return {
      kpis, byVendor, ruleGroups, sectionCounts,
      summary: text(document.querySelector('[data-filter-summary]')),
      events: rows('event').map((r) => { const c = cells(r); return { provider: text(c[0]), event: text(c[1]), rules: num(text(c[3]?.querySelector('[data-n]'))) }; }),
      chart: [...document.querySelectorAll('[data-chart-row]')].map((r) => ({ field: text(r.querySelector('.dl-chart-label')), rules: num(text(r.querySelector('.dl-chart-value'))) })),
      fields: rows('field').map((r) => { const c = cells(r); return { field: text(c[0]), rules: num(text(c[1])), ops: text(c[2]), samples: [...(c[3]?.querySelectorAll('.dl-value') ?? [])].map((e) => (text(e) === '(empty)' ? '' : text(e))) }; }),
      indicators: rows('indicator').map((r) => { const c = cells(r); return { value: valueText(c[0]), field: text(c[1]), op: text(c[2]), rules: num(text(c[3]?.querySelector('[data-n]'))), reach: num(text(c[4]?.querySelector('[data-n]'))), noisy: !!c[4]?.querySelector('.dl-noisy-tag') }; }),
      exclusions: rows('exclusion').map((r) => { const c = cells(r); return { value: valueText(c[0]), field: text(c[1]), op: text(c[2]), rules: num(text(c[3]?.querySelector('[data-n]'))) }; }),
      ruleLinks: document.querySelectorAll('#rules [data-rule]').length,
    };
  });
}
