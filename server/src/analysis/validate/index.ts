import type { SigmaDocument } from '../../sigma/document';
import { validateDetection } from './detection';
import type { SigmaKnowledge } from './knowledge';
import { validateFields, validateLogsource } from './logsource';
import { validateMetadata } from './metadata';
import { validateTags } from './tags';
import type { ValidationFinding } from './types';

export type { Fix, OffsetEdit, ValidationFinding } from './types';
export type { SigmaKnowledge } from './knowledge';

/**
 * Validation of a Sigma detection rule by the specification (errors) and conventions (warnings and
 * hints), with the catalog's knowledge when there is one. Correlation and filter files have their own
 * specifications; only their tags are checked here.
 */
export function validateSigma(doc: SigmaDocument, knowledge?: SigmaKnowledge): ValidationFinding[] {
  const rule = doc.rule;
  if (!doc.isSigma || !rule) return [];
  if (rule.kind !== 'detection') return validateTags(doc, rule.raw);
  return [
    ...validateMetadata(doc, rule.raw),
    ...validateLogsource(doc, rule.raw, knowledge),
    ...validateTags(doc, rule.raw),
    ...validateDetection(doc),
    ...validateFields(doc, knowledge),
  ];
}
