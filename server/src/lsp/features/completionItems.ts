import { randomUUID } from 'node:crypto';
import { CompletionItemKind, CompletionItemTag, type CompletionItem } from 'vscode-languageserver/node';
import { allTechniqueIds, techniqueInfo, translate, versionOf } from '../../catalog/attack/attack';
import type { Op } from '../../catalog/record';
import { fieldsFor, logsourceKey, valuesFor, type SigmaKnowledge } from '../../analysis/validate/knowledge';
import { LEVEL_VALUES, RELATED_TYPES, STATUS_VALUES, TOP_LEVEL_KEYS } from '../../analysis/validate/metadata';
import { TACTIC_TAGS } from '../../analysis/validate/tags';
import { TAXONOMY } from '../../analysis/validate/taxonomy';
import { KNOWN_MODIFIERS, modifierConflicts } from '../../sigma/modifiers';
import type { SigmaLogsource } from '../../sigma/rule';

/** Completion data without positions; completion.ts places them in the document. */

const order = (i: number) => String(i).padStart(4, '0');
const MAP_KEYS = new Set(['logsource', 'detection']);
const LIST_KEYS = new Set(['related', 'references', 'fields', 'falsepositives', 'tags', 'scope']);

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Top-level keys not yet in the document, in the SigmaHQ order. */
export function topLevelKeyItems(present: ReadonlySet<string>): CompletionItem[] {
  return TOP_LEVEL_KEYS.map((key, i) => ({ key, i })).filter(({ key }) => !present.has(key)).map(({ key, i }) => {
    const value = key === 'id' ? ` ${randomUUID()}` : key === 'date' || key === 'modified' ? ` ${today()}` : '';
    const suffix = MAP_KEYS.has(key) ? '\n    ' : LIST_KEYS.has(key) ? '\n    - ' : value || ' ';
    return { label: key, kind: CompletionItemKind.Property, sortText: order(i), insertText: `${key}:${suffix}` };
  });
}

export function enumItems(key: string): CompletionItem[] {
  const values: readonly string[] = key === 'status' ? STATUS_VALUES : key === 'level' ? LEVEL_VALUES : key === 'type' ? RELATED_TYPES : [];
  const computed = key === 'id' ? [randomUUID()] : key === 'date' || key === 'modified' ? [today()] : [];
  return [...values, ...computed].map((v, i) => ({ label: v, kind: CompletionItemKind.EnumMember, sortText: order(i) }));
}

const LOGSOURCE_PARTS = ['category', 'product', 'service', 'definition'] as const;

export function logsourceKeyItems(present: ReadonlySet<string>): CompletionItem[] {
  return LOGSOURCE_PARTS.filter((p) => !present.has(p)).map((p, i) => ({ label: p, kind: CompletionItemKind.Property, sortText: order(i), insertText: `${p}: ` }));
}

/** Log source values: the taxonomy's and the catalog's, ranked by catalog rules that fit the other parts. */
export function logsourceValueItems(part: 'product' | 'category' | 'service', current: SigmaLogsource, k: SigmaKnowledge | undefined): CompletionItem[] {
  const counts = new Map<string, number>();
  for (const [key, rules] of k?.logsources ?? []) {
    const [product = '', category = '', service = ''] = key.split('|');
    const ls: Record<string, string> = { product, category, service };
    const fits = (['product', 'category', 'service'] as const).every((p) => p === part || !current[p] || ls[p] === current[p]);
    const value = ls[part];
    if (fits && value) counts.set(value, (counts.get(value) ?? 0) + rules);
  }
  const values = new Set([...counts.keys(), ...TAXONOMY[part]]);
  return [...values].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b)).map((v, i) => ({
    label: v, kind: CompletionItemKind.Value, sortText: order(i),
    detail: counts.get(v) ? `${counts.get(v)} catalog rules` : 'Sigma taxonomy',
  }));
}

/** Fields of the rule's log source, ranked by how many catalog rules test them. */
export function fieldItems(ls: SigmaLogsource, k: SigmaKnowledge | undefined): CompletionItem[] {
  if (!k) return [];
  const total = k.logsources.get(logsourceKey(ls)) ?? 0;
  return fieldsFor(k, ls).map(([field, rules], i) => ({
    label: field, kind: CompletionItemKind.Field, sortText: order(i), detail: `${rules} of ${total} catalog rules for this log source`,
  }));
}

const MODIFIER_RANK = ['contains', 'endswith', 'startswith', 'all', 're', 'windash', 'cidr', 'base64offset', 'exists', 'cased', 'neq', 'gt', 'gte', 'lt', 'lte', 'fieldref', 'expand', 'base64', 'utf16le', 'utf16be', 'utf16', 'wide', 'i', 'm', 's'];

/** Modifiers that can follow the ones already written (none that the specification rules out). */
export function modifierItems(existing: readonly string[]): CompletionItem[] {
  const rank = (m: string) => (MODIFIER_RANK.includes(m) ? MODIFIER_RANK.indexOf(m) : 100);
  return [...KNOWN_MODIFIERS].filter((m) => !existing.includes(m) && modifierConflicts([...existing, m]).length === 0)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((m, i) => ({ label: m, kind: CompletionItemKind.Operator, sortText: order(i) }));
}

const OP_OF: Record<string, Op> = { contains: 'contains', startswith: 'starts_with', endswith: 'ends_with', re: 'regex_match', cidr: 'cidr' };

function quote(value: string): string {
  return /^-?\d+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/** Values catalog rules test on this field under this log source, most used first. */
export function valueItems(ls: SigmaLogsource, field: string, modifiers: readonly string[], k: SigmaKnowledge | undefined, limit = 100): CompletionItem[] {
  if (!k) return [];
  const op = modifiers.map((m) => OP_OF[m]).find((o) => o) ?? 'eq';
  let values = valuesFor(k, ls, field, op);
  if (values.length === 0) values = valuesFor(k, ls, field);
  return values.slice(0, limit).map((v, i) => ({
    label: v.value, kind: CompletionItemKind.Value, sortText: order(i), insertText: quote(v.value), filterText: quote(v.value),
    detail: `${v.rules} catalog rule${v.rules === 1 ? '' : 's'} (${v.op})`,
  }));
}

function techniqueItem(id: string, rank: number): CompletionItem | undefined {
  const info = techniqueInfo(id);
  if (!info) return undefined;
  const successors = versionOf(id) === 'v18' ? translate(id, 'v19').filter((s) => s !== id) : [];
  const outdated = successors.length > 0 || info.revoked;
  return {
    label: `attack.${id.toLowerCase()}`, kind: CompletionItemKind.Reference, detail: info.name,
    documentation: successors.length ? `Replaced in ATT&CK v19 by ${successors.join(', ')}` : info.revoked ? 'Revoked in ATT&CK' : `${info.tactics.map((t) => t.name).join(', ')} (ATT&CK ${info.version === 'both' ? 'v18 and v19' : info.version})`,
    sortText: `${outdated ? 9 : 1}${order(rank)}`,
    ...(outdated ? { tags: [CompletionItemTag.Deprecated] } : {}),
  };
}

/**
 * ATT&CK tags by id or by name; current (v19 or both-version) ids first, ids replaced in v19 last and
 * marked deprecated. A typed name (`attack.disable`) matches technique names.
 */
export function tagItems(typed: string): { items: CompletionItem[]; byName: boolean } {
  const query = typed.replace(/^attack\./i, '').toLowerCase();
  const byName = /[a-z]{2,}/.test(query.replace(/^t\d*/, '')) && !TACTIC_TAGS.some((t) => t.startsWith(query));
  const techniques = allTechniqueIds().sort().map((id, i) => techniqueItem(id, i)).filter((x): x is CompletionItem => !!x);
  const tactics = TACTIC_TAGS.map((t, i): CompletionItem => ({ label: `attack.${t}`, kind: CompletionItemKind.EnumMember, detail: 'ATT&CK tactic', sortText: `0${order(i)}` }));
  const others = ['detection.emerging-threats', 'detection.threat-hunting', 'detection.dfir', 'tlp.clear', 'tlp.green', 'tlp.amber', 'tlp.red']
    .map((t, i): CompletionItem => ({ label: t, kind: CompletionItemKind.EnumMember, sortText: `8${order(i)}` }));
  if (!byName) return { items: [...tactics, ...techniques, ...others], byName };
  const words = query.split(/[\s._-]+/).filter(Boolean);
  const matches = techniques.filter((item) => words.every((w) => String(item.detail).toLowerCase().includes(w)));
  return { items: matches.map((item) => ({ ...item, filterText: typed })), byName };
}

const CONDITION_WORDS = ['and', 'or', 'not', '1 of', 'all of', 'them'];

/** Selection names, `x*` patterns of shared prefixes, and the condition keywords. */
export function conditionItems(selections: readonly string[]): CompletionItem[] {
  const prefixes = new Set(selections.map((s) => /^([a-z]+_)/i.exec(s)?.[1]).filter((p): p is string => !!p));
  const patterns = [...prefixes].filter((p) => selections.filter((s) => s.startsWith(p)).length > 1).map((p) => `${p}*`);
  return [
    ...selections.map((s, i): CompletionItem => ({ label: s, kind: CompletionItemKind.Variable, sortText: `0${order(i)}`, detail: 'selection' })),
    ...patterns.map((p, i): CompletionItem => ({ label: p, kind: CompletionItemKind.Variable, sortText: `1${order(i)}`, detail: 'pattern' })),
    ...CONDITION_WORDS.map((w, i): CompletionItem => ({ label: w, kind: CompletionItemKind.Keyword, sortText: `2${order(i)}` })),
  ];
}
