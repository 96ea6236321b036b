/**
 * Sigma field modifiers, as the specification's modifier appendix and pySigma's modifier table name
 * them (../shared/corpora/sigma-spec). `Image|endswith|cased` → field `Image`, modifiers
 * ['endswith', 'cased'].
 */

export const MATCH_MODIFIERS = ['contains', 'startswith', 'endswith'] as const;
export const NUMERIC_MODIFIERS = ['lt', 'lte', 'gt', 'gte'] as const;
export const TIME_MODIFIERS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export const ENCODING_MODIFIERS = ['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide'] as const;
export const REGEX_FLAGS = ['i', 'ignorecase', 'm', 'multiline', 's', 'dotall'] as const;

export const KNOWN_MODIFIERS: ReadonlySet<string> = new Set([
  ...MATCH_MODIFIERS, ...NUMERIC_MODIFIERS, ...TIME_MODIFIERS, ...ENCODING_MODIFIERS, ...REGEX_FLAGS,
  'all', 'exists', 'cased', 'neq', 'windash', 're', 'cidr', 'expand', 'fieldref',
]);

export interface FieldKey {
  /** The field name before the first `|`; empty for a keyword list written as `|all` (rare). */
  field: string;
  modifiers: string[];
  /** Modifiers the specification does not define. */
  unknown: string[];
}

export function parseFieldKey(key: string): FieldKey {
  const [field = '', ...modifiers] = key.split('|');
  const unknown = modifiers.filter((m) => !KNOWN_MODIFIERS.has(m));
  return { field: field.trim(), modifiers, unknown };
}

/** Combinations the specification rules out; each message is shown as a diagnostic. */
export function modifierConflicts(modifiers: readonly string[]): string[] {
  if (modifiers.length === 0) return []; // most keys: nothing to combine
  const has = (m: string) => modifiers.includes(m);
  const problems: string[] = [];
  const matchers = MATCH_MODIFIERS.filter(has);
  if (matchers.length > 1) problems.push(`modifiers ${matchers.join(' and ')} cannot be combined`);
  if (has('re') && matchers.length > 0) problems.push(`re cannot be combined with ${matchers.join(', ')}`);
  if (has('cidr') && (matchers.length > 0 || has('re'))) problems.push('cidr cannot be combined with string matching modifiers');
  const flags = REGEX_FLAGS.filter(has);
  if (flags.length > 0 && !has('re')) problems.push(`regular expression flag ${flags.join(', ')} needs the re modifier`);
  if (has('exists') && modifiers.length > 1) problems.push('exists cannot be combined with other modifiers');
  const numeric = NUMERIC_MODIFIERS.filter(has);
  if (numeric.length > 1) problems.push(`modifiers ${numeric.join(' and ')} cannot be combined`);
  if (has('base64') && has('base64offset')) problems.push('base64 and base64offset cannot be combined');
  return problems;
}
