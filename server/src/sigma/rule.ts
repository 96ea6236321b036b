import { toPredicate } from '../catalog/predicate';
import type { Predicate } from '../catalog/record';
import type { ConditionResult } from './condition/ast';
import { parseCondition } from './condition/parser';
import { walkCondition } from './conditionWalk';
import type { TestOrigin } from './detectionItem';
import { readSelection, type Selection } from './selection';

export type SigmaKind = 'detection' | 'correlation' | 'filter';

export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
}

/** A predicate plus where it came from in the rule, so editors can point at it. */
export interface SigmaPredicate extends Predicate, TestOrigin {}

/** What the model could not accept, and where: a selection key, a selection, the condition, or a top-level key. */
export interface SigmaProblem {
  message: string;
  severity: 'error' | 'warning';
  selection?: string;
  key?: string;
  /** Offsets into the condition text. */
  conditionRange?: { start: number; end: number };
  topKey?: string;
}

export interface SigmaRule {
  kind: SigmaKind;
  title: string;
  id: string;
  tags: string[];
  /** `attack.t1685` → `T1685`, upper case, as tagged. */
  techniques: string[];
  logsource: SigmaLogsource;
  selections: Selection[];
  /** The condition as one string (a list of conditions is ORed, as Sigma 1 did). */
  conditionText?: string;
  condition?: ConditionResult;
  predicates: SigmaPredicate[];
  problems: SigmaProblem[];
  raw: Record<string, unknown>;
}

const TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

export function techniquesFromTags(tags: readonly string[]): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    const match = TECHNIQUE_TAG.exec(tag.trim());
    if (match?.[1]) found.add(match[1].toUpperCase());
  }
  return [...found];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sigmaKind(doc: Record<string, unknown>): SigmaKind {
  if (isMap(doc.correlation)) return 'correlation';
  if (isMap(doc.filter)) return 'filter';
  return 'detection';
}

function readLogsource(value: unknown): SigmaLogsource {
  if (!isMap(value)) return {};
  const ls: SigmaLogsource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = text(value[key]).toLowerCase();
    if (v) ls[key] = v;
  }
  return ls;
}

function conditionText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length === 1 ? value[0] : value.map((v) => `(${v})`).join(' or ');
  }
  return undefined;
}

/**
 * The normalization scopes of a rule's fields, most specific first: the service (`audit` of kubernetes,
 * `cloudtrail`) and then the product (`aws`), so a service name shared by several products still resolves.
 */
export function scopeOf(ls: SigmaLogsource): string[] {
  return [ls.service, ls.product].filter((s): s is string => !!s);
}

/** Builds the rule model from a plain YAML document (js-yaml or `yaml`'s toJS output alike). */
export function readSigmaRule(doc: Record<string, unknown>): SigmaRule {
  const kind = sigmaKind(doc);
  const tags = Array.isArray(doc.tags) ? doc.tags.map(text).filter(Boolean) : [];
  const rule: SigmaRule = {
    kind, title: text(doc.title), id: text(doc.id) || text(doc.name), tags, techniques: techniquesFromTags(tags),
    logsource: readLogsource(doc.logsource), selections: [], predicates: [], problems: [], raw: doc,
  };
  const detection = kind === 'filter' && isMap(doc.filter) ? doc.filter : doc.detection;
  if (kind === 'correlation') return rule;
  if (!isMap(detection)) {
    rule.problems.push({ message: 'detection is missing or is not a map', severity: 'error', topKey: 'detection' });
    return rule;
  }
  readDetection(rule, detection);
  return rule;
}

function readDetection(rule: SigmaRule, detection: Record<string, unknown>): void {
  const scope = scopeOf(rule.logsource);
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe' || name === 'rules') continue;
    const selection = readSelection(name, value, scope);
    rule.selections.push(selection);
    for (const p of selection.problems) rule.problems.push({ message: p.message, severity: 'error', selection: name, ...(p.key ? { key: p.key } : {}) });
  }
  rule.conditionText = conditionText(detection.condition);
  if (rule.conditionText === undefined) {
    rule.problems.push({ message: 'detection has no condition', severity: 'error', topKey: 'detection' });
    return;
  }
  rule.condition = parseCondition(rule.conditionText);
  if (!rule.condition.ok) {
    const { message, start, end } = rule.condition.error;
    rule.problems.push({ message: `condition: ${message}`, severity: 'error', conditionRange: { start, end } });
    return;
  }
  applyCondition(rule, rule.condition.tree);
}

function applyCondition(rule: SigmaRule, tree: Extract<ConditionResult, { ok: true }>['tree']): void {
  const names = rule.selections.map((s) => s.name);
  const walk = walkCondition(tree, names, rule.kind === 'filter');
  for (const ref of walk.undefinedRefs) {
    rule.problems.push({
      message: `condition refers to '${ref.name}', which no selection defines`, severity: 'error',
      conditionRange: { start: ref.start, end: ref.end },
    });
  }
  // by name, not a search per use: `1 of sel*` over thousands of selections was quadratic
  const byName = new Map<string, Selection>();
  for (const s of rule.selections) if (!byName.has(s.name)) byName.set(s.name, s);
  for (const use of walk.uses) {
    const selection = byName.get(use.selection);
    for (const test of selection?.tests ?? []) {
      const negated = (test.negated ?? false) !== use.negated;
      // literals, not spreads: an index makes ~50,000 of these
      const p = toPredicate('sigma', { sourceField: test.sourceField, op: test.op, values: test.values, all: test.all, negated, exclusion: use.exclusion, scope: test.scope });
      rule.predicates.push({
        field: p.field, sourceField: p.sourceField, op: p.op, values: p.values, all: p.all, negated: p.negated, exclusion: p.exclusion,
        selection: test.selection, key: test.key, branch: test.branch,
      });
    }
  }
}
