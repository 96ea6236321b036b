import type { Op } from '../../catalog/record';

/** What to exclude, in the catalog contract's terms (field as Sigma names it, contract op, values). */
export interface ExclusionSpec {
  /** As Sigma names it for this log source, e.g. `User`, `Image`. */
  field: string;
  op: Op;
  values: string[];
  /** Third-party software → `filter_optional_*`, else `filter_main_*` (SigmaHQ rule convention). */
  optional?: boolean;
  /** e.g. `system` → `filter_main_system`; sanitized to [a-z0-9_]. Defaults to the field name. */
  nameHint?: string;
}

/** The field item of the new selection: the key as written and the YAML value it must read back as. */
export interface FieldItem {
  /** The key as YAML text (quoted when a plain key would not read back as this string). */
  key: string;
  /** The key as Sigma reads it, `Field|modifier`. */
  rawKey: string;
  /** What parsing the written value gives back (a string, a list, null, true or a number). */
  expected: unknown;
  /** The value as YAML text: a scalar for the key's line, or list items for the lines below it. */
  inline?: string;
  items?: string[];
}

const MODIFIER: Partial<Record<Op, string>> = {
  eq: '', in: '', wildcard: '', contains: '|contains', starts_with: '|startswith', ends_with: '|endswith',
  regex_match: '|re', cidr: '|cidr', gt: '|gt', ge: '|gte', lt: '|lt', le: '|lte',
};

/** Ops whose values are literal text, so Sigma's wildcard characters in them must be escaped. */
const LITERAL_OPS: ReadonlySet<Op> = new Set<Op>(['eq', 'in', 'contains', 'starts_with', 'ends_with']);

/**
 * Characters a single-quoted YAML scalar on one line keeps exactly. Everything else (line breaks, tabs,
 * control characters, U+2028/9 which YAML 1.1 readers treat as line breaks, BOM, lone surrogates) goes
 * into a double-quoted scalar with escapes, since single quotes have no escapes and fold line breaks.
 */
const SINGLE_SAFE = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Readable escapes for the common control characters. */
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function quoteYaml(value: string): string {
  if (SINGLE_SAFE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (SINGLE_SAFE.test(ch)) out += ch;
    else if (NAMED_ESCAPES[ch]) out += NAMED_ESCAPES[ch];
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * Escapes Sigma wildcards in literal text, the inverse of the model's `patternParts`: `*` → `\*`,
 * `?` → `\?`. A backslash directly before a literal wildcard has no spelling in that model
 * (`\\*` reads as backslash + wildcard), so such a value is refused rather than changed.
 */
function escapeLiteral(value: string): string | { error: string } {
  if (/\\[*?]/.test(value)) return { error: `value ${JSON.stringify(value)} has a backslash before * or ?, which Sigma cannot spell literally` };
  return value.replace(/[*?]/g, (c) => `\\${c}`);
}

function sigmaValues(spec: ExclusionSpec): string[] | { error: string } {
  if (!LITERAL_OPS.has(spec.op)) return spec.values;
  const out: string[] = [];
  for (const value of spec.values) {
    const escaped = escapeLiteral(value);
    if (typeof escaped !== 'string') return escaped;
    out.push(escaped);
  }
  return out;
}

/** Plain keys YAML would read as null, a boolean or a number instead of a string. */
const RESERVED_KEY = /^(null|true|false|yes|no|on|off|y|n|~)$/i;

function keyText(key: string): string {
  return PLAIN_KEY.test(key.split('|')[0] ?? '') && !RESERVED_KEY.test(key) ? key : quoteYaml(key);
}

function item(rawKey: string, rest: Omit<FieldItem, 'key' | 'rawKey'>): FieldItem {
  return { key: keyText(rawKey), rawKey, ...rest };
}

/** The field item for an exclusion, or why the exclusion cannot be written as a Sigma selection. */
export function fieldItem(spec: ExclusionSpec): FieldItem | { error: string } {
  const field = spec.field.trim();
  if (!field) return { error: 'the exclusion has no field' };
  if (field.includes('|')) return { error: `field ${JSON.stringify(field)} contains '|', which Sigma reads as a modifier` };
  if (spec.op === 'is_null') return item(field, { expected: null, inline: 'null' });
  if (spec.op === 'is_not_null') return item(`${field}|exists`, { expected: true, inline: 'true' });
  const modifier = MODIFIER[spec.op];
  if (modifier === undefined) return { error: `operator ${spec.op} has no Sigma exclusion form` };
  if (spec.values.length === 0) return { error: `operator ${spec.op} needs at least one value` };
  const key = `${field}${modifier}`;
  if (['gt', 'ge', 'lt', 'le'].includes(spec.op)) {
    const [value] = spec.values;
    if (spec.values.length !== 1 || value === undefined || !NUMBER.test(value)) {
      return { error: `operator ${spec.op} needs exactly one number` };
    }
    return item(key, { expected: Number(value), inline: value });
  }
  if (spec.op !== 'eq' && spec.op !== 'in' && spec.values.includes('')) {
    return { error: `an empty value under ${spec.op} would match every event` };
  }
  const values = sigmaValues(spec);
  if (!Array.isArray(values)) return values;
  if (values.length === 1) return item(key, { expected: values[0], inline: quoteYaml(values[0] ?? '') });
  return item(key, { expected: values, items: values.map(quoteYaml) });
}

export interface Indent {
  /** Column of the detection's keys (the new selection's name). */
  sibling: number;
  /** How much deeper a selection's fields sit. */
  step: number;
  /** How much deeper than its field a list item's `-` sits (0 is legal YAML and some rules use it). */
  list: number;
}

/** The new selection as lines without line ends. */
export function selectionLines(name: string, field: FieldItem, indent: Indent): string[] {
  const pad = (n: number) => ' '.repeat(n);
  const fieldCol = indent.sibling + indent.step;
  const lines = [`${pad(indent.sibling)}${name}:`];
  if (field.inline !== undefined) {
    lines.push(`${pad(fieldCol)}${field.key}: ${field.inline}`);
  } else {
    lines.push(`${pad(fieldCol)}${field.key}:`);
    for (const value of field.items ?? []) lines.push(`${pad(fieldCol + indent.list)}- ${value}`);
  }
  return lines;
}

/** `filter_main_<hint>` / `filter_optional_<hint>`, the hint reduced to [a-z0-9_]. */
export function baseName(spec: ExclusionSpec): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '').slice(0, 40);
  const hint = clean(spec.nameHint ?? '') || clean(spec.field) || 'exclusion';
  return `filter_${spec.optional ? 'optional' : 'main'}_${hint}`;
}
