/**
 * Messages between the overview webview and the extension, declared once and validated on receipt:
 * a webview is a web page, so nothing it posts is trusted until it has the expected shape.
 */
import { OPS, type Op } from '../catalog/record';
import type { RuleFilter } from '../catalog/stats/filters';
import type { PanelModel } from './model';

/** Webview → extension. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'openRule'; file: string; line: number }
  | { type: 'addExclusion'; field: string; op: Op; value: string }
  | { type: 'openTechnique'; technique: string }
  | { type: 'filterChanged'; filter: RuleFilter };

/** Extension → webview. */
export type HostMessage =
  | { type: 'model'; model: PanelModel }
  | { type: 'status'; text: string; level: 'info' | 'error' };

/** What the webview keeps with setState, so a reload restores the same technique and filters. */
export interface PanelState {
  technique: string;
  filter: RuleFilter;
}

const MAX_TEXT = 10_000;

function isText(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function textList(v: unknown): string[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 200 || !v.every((x) => isText(x, 200))) return undefined;
  return v as string[];
}

/** A filter from untrusted input; undefined when any part has the wrong shape. */
export function parseFilter(v: unknown): RuleFilter | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const vendors = textList(o.vendors);
  const platforms = textList(o.platforms);
  const domains = textList(o.domains);
  if (!vendors || !platforms || !domains) return undefined;
  return { vendors: vendors as RuleFilter['vendors'], platforms, domains: domains as RuleFilter['domains'] };
}

export function parseWebviewMessage(v: unknown): WebviewMessage | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openRule':
      return isText(m.file, 4096) && Number.isInteger(m.line) && (m.line as number) >= 1 ? { type: 'openRule', file: m.file, line: m.line as number } : undefined;
    case 'addExclusion':
      return isText(m.field, 512) && typeof m.value === 'string' && m.value.length <= MAX_TEXT && typeof m.op === 'string' && (OPS as readonly string[]).includes(m.op)
        ? { type: 'addExclusion', field: m.field, op: m.op as Op, value: m.value } : undefined;
    case 'openTechnique':
      return isText(m.technique, 32) && /^T\d{4}(\.\d{3})?$/.test(m.technique) ? { type: 'openTechnique', technique: m.technique } : undefined;
    case 'filterChanged': {
      const filter = parseFilter(m.filter);
      return filter ? { type: 'filterChanged', filter } : undefined;
    }
    default:
      return undefined;
  }
}

export function parseHostMessage(v: unknown): HostMessage | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  if (m.type === 'model' && typeof m.model === 'object' && m.model !== null && (m.model as { schema?: unknown }).schema === 1) {
    return { type: 'model', model: m.model as PanelModel };
  }
  if (m.type === 'status' && typeof m.text === 'string' && (m.level === 'info' || m.level === 'error')) return { type: 'status', text: m.text, level: m.level };
  return undefined;
}

export function parsePanelState(v: unknown): PanelState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as Record<string, unknown>;
  const filter = parseFilter(s.filter ?? {});
  return isText(s.technique, 32) && /^T\d{4}(\.\d{3})?$/.test(s.technique) && filter ? { technique: s.technique, filter } : undefined;
}
