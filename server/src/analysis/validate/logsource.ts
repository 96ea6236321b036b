import type { SigmaDocument } from '../../sigma/document';
import { parseFieldKey } from '../../sigma/modifiers';
import { fieldsFor, logsourceKey, type SigmaKnowledge } from './knowledge';
import { mapEntry, spanOf, topValueNode } from './nodes';
import { TAXONOMY } from './taxonomy';
import { closest, finding, type ValidationFinding } from './types';

/**
 * Log source checks. The rules specification (LogSource) says category, product and service values are
 * lower case with `_` for spaces, `.` and `-` allowed: other characters are errors. A value that neither
 * the taxonomy appendix nor any catalog rule uses is a warning; a field that no catalog rule of the same
 * log source tests is a hint naming the closest fields that are used.
 */
const LOGSOURCE_VALUE = /^[a-z0-9_.-]+$/;
const PARTS = ['product', 'category', 'service'] as const;
/** Field hints need enough rules of the log source to say what is usual there. */
const MIN_RULES_FOR_FIELD_HINTS = 3;

function knownValues(part: (typeof PARTS)[number], knowledge: SigmaKnowledge | undefined): Set<string> {
  return new Set([...TAXONOMY[part], ...(knowledge?.logsourceValues[part].keys() ?? [])]);
}

export function validateLogsource(doc: SigmaDocument, raw: Record<string, unknown>, knowledge?: SigmaKnowledge): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const node = topValueNode(doc, 'logsource');
  const ls = raw.logsource;
  if (typeof ls !== 'object' || ls === null || Array.isArray(ls)) return out;
  const map = ls as Record<string, unknown>;
  if (!PARTS.some((p) => p in map)) out.push(finding(doc.topKeys.get('logsource') ?? { start: 0, end: 0 }, 'warning', 'empty-logsource', 'logsource names no category, product or service'));
  for (const part of [...PARTS, 'definition'] as const) {
    if (!(part in map)) continue;
    const value = map[part];
    const span = spanOf(mapEntry(node, part).value) ?? mapEntry(node, part).keySpan ?? doc.topKeys.get('logsource') ?? { start: 0, end: 0 };
    if (typeof value !== 'string') {
      out.push(finding(span, 'error', 'invalid-type', `logsource ${part} must be a string`));
      continue;
    }
    if (part === 'definition') continue;
    if (!LOGSOURCE_VALUE.test(value)) {
      const fixed = value.toLowerCase().replace(/\s+/g, '_');
      const fixes = LOGSOURCE_VALUE.test(fixed) ? [{ title: `Change to ${fixed}`, edits: [{ ...span, newText: fixed }], preferred: true }] : [];
      out.push(finding(span, 'error', 'invalid-logsource', `logsource ${part} values are lower case with '_' for spaces ('.' and '-' allowed); found '${value}'`, fixes));
      continue;
    }
    const known = knownValues(part, knowledge);
    if (known.has(value)) continue;
    const near = closest(value, known, 3);
    out.push(finding(span, 'warning', 'unknown-logsource', `logsource ${part} '${value}' is neither in the Sigma taxonomy nor used by any catalog rule${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''}`,
      near.map((n, i) => ({ title: `Change ${part} to ${n}`, edits: [{ ...span, newText: n }], preferred: i === 0 }))));
  }
  return out;
}

export function validateFields(doc: SigmaDocument, knowledge: SigmaKnowledge | undefined): ValidationFinding[] {
  const rule = doc.rule;
  if (!knowledge || !rule || rule.kind !== 'detection') return [];
  if ((knowledge.logsources.get(logsourceKey(rule.logsource)) ?? 0) < MIN_RULES_FOR_FIELD_HINTS) return [];
  const used = new Map(fieldsFor(knowledge, rule.logsource));
  const out: ValidationFinding[] = [];
  for (const site of doc.keySites) {
    const { field } = parseFieldKey(site.key);
    if (!field || used.has(field)) continue;
    const near = closest(field, used.keys(), 3);
    const span = { start: site.keySpan.start, end: site.keySpan.start + field.length };
    const where = [rule.logsource.product, rule.logsource.category, rule.logsource.service].filter(Boolean).join('/');
    out.push(finding(span, 'hint', 'unused-field', `No catalog rule for ${where} tests '${field}'${near.length ? `; closest fields used there: ${near.map((n) => `${n} (${used.get(n)} rules)`).join(', ')}` : ''}`,
      near.map((n, i) => ({ title: `Change field to ${n}`, edits: [{ ...span, newText: n }], preferred: i === 0 }))));
  }
  return out;
}
