import { isScalar, isSeq, type Node } from 'yaml';
import { unusedSelections } from '../../sigma/conditionWalk';
import type { ConditionNode } from '../../sigma/condition/ast';
import type { KeySite, SigmaDocument } from '../../sigma/document';
import { KNOWN_MODIFIERS, NUMERIC_MODIFIERS, TIME_MODIFIERS, parseFieldKey } from '../../sigma/modifiers';
import { mapEntry, seqItems, spanOf, topValueNode } from './nodes';
import { closest, finding, type ValidationFinding } from './types';

/**
 * Detection checks the rule model does not make, by the rules specification (Detection, Condition)
 * and the modifiers appendix (sigma-appendix-modifiers.md). Undefined selections, unknown modifiers and
 * modifier conflicts are already problems of the rule model (sigma/rule.ts) that diagnose reports.
 */

function visitsThem(node: ConditionNode): { them: boolean; allOfThem: boolean } {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.map(visitsThem).reduce((a, b) => ({ them: a.them || b.them, allOfThem: a.allOfThem || b.allOfThem }), { them: false, allOfThem: false });
    case 'not':
      return visitsThem(node.child);
    case 'ref':
      return { them: false, allOfThem: false };
    case 'of':
      return { them: node.pattern === 'them', allOfThem: node.pattern === 'them' && node.quantifier === 'all' };
  }
}

function checkConditionRefs(doc: SigmaDocument, out: ValidationFinding[]): void {
  const rule = doc.rule;
  if (!rule?.condition?.ok || rule.kind !== 'detection') return;
  const names = rule.selections.map((s) => s.name);
  const { them, allOfThem } = visitsThem(rule.condition.tree);
  for (const name of unusedSelections(rule.condition.tree, names)) {
    const span = doc.selectionSpans.get(name) ?? { start: 0, end: 0 };
    const message = them && name.startsWith('_')
      ? `Selection '${name}' is not used: 'them' leaves out selections whose names start with '_'`
      : `Selection '${name}' is not used by the condition`;
    out.push(finding(span, 'warning', 'unused-selection', message));
  }
  if (allOfThem && doc.condition) {
    const at = doc.text.indexOf('them', doc.condition.valueStart);
    const span = at >= 0 && at < doc.condition.span.end ? { start: at, end: at + 4 } : doc.condition.span;
    out.push(finding(span, 'hint', 'all-of-them', "'all of them' is discouraged by the specification: it keeps users from adding filters; prefer 'all of selection_*'"));
  }
}

/** The YAML node of one key's value inside a selection (and branch of a list of maps). */
function siteValueNode(doc: SigmaDocument, site: KeySite): Node | undefined {
  const detection = topValueNode(doc, 'detection');
  const selection = mapEntry(detection, site.selection).value;
  const map = isSeq(selection) ? seqItems(selection)[site.branch] : selection;
  return mapEntry(map, site.key).value;
}

const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

function isCidr(value: string): boolean {
  const v4 = CIDR_V4.exec(value);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && (v4[5] === undefined || Number(v4[5]) <= 32);
  const [address = '', prefix] = value.split('/');
  return /^[0-9a-f:]+$/i.test(address) && address.includes(':') && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128));
}

function checkValues(site: KeySite, node: Node | undefined, out: ValidationFinding[]): void {
  const isList = isSeq(node);
  const { modifiers } = parseFieldKey(site.key);
  const values = site.values;
  const has = (m: string) => modifiers.includes(m);
  if (has('all') && !isList) out.push(finding(site.keySpan, 'error', 'all-single-value', `'${site.key}': the all modifier needs a list of values; a single value is not allowed (modifiers appendix)`));
  // A quoted 'null' is the string null; only a YAML null (null, ~ or nothing) is Sigma's null value.
  const nulls = seqItems(node).filter((item) => isScalar(item) && item.value === null);
  if (isList && seqItems(node).length > 1 && nulls[0]) {
    out.push(finding(spanOf(nulls[0]) ?? site.keySpan, 'error', 'null-in-list', 'null cannot be part of a list of values (rules specification, Special Field Values); test it in a selection of its own'));
  }
  const numeric = [...NUMERIC_MODIFIERS, ...TIME_MODIFIERS].filter(has);
  for (const v of numeric.length ? values : []) {
    if (!/^-?\d+(\.\d+)?$/.test(v.value)) out.push(finding(v.span, 'error', 'invalid-value', `'${site.key}' compares numbers; '${v.value}' is not a number`));
  }
  for (const v of has('exists') ? values : []) {
    if (!/^(true|false)$/i.test(v.value)) out.push(finding(v.span, 'error', 'invalid-value', `the exists modifier takes true or false; found '${v.value}'`));
  }
  for (const v of has('cidr') ? values : []) {
    if (!isCidr(v.value)) out.push(finding(v.span, 'error', 'invalid-value', `'${v.value}' is not an IPv4 or IPv6 CIDR network`));
  }
  for (const v of has('re') ? values : []) regexWarning(v, out);
}

/** The spec's regex flavor is PCRE; JavaScript rejects a few valid PCRE forms, so this is only a warning. */
function regexWarning(v: { value: string; span: { start: number; end: number } }, out: ValidationFinding[]): void {
  try {
    new RegExp(v.value.replace(/^\(\?[imsx]+\)/, ''));
  } catch (error) {
    out.push(finding(v.span, 'warning', 'invalid-regex', `regular expression may be invalid: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** A quick fix for each unknown modifier: the closest known modifier. */
function modifierFixes(doc: SigmaDocument, out: ValidationFinding[]): void {
  for (const site of doc.keySites) {
    const { unknown } = parseFieldKey(site.key);
    for (const bad of unknown) {
      const near = closest(bad, KNOWN_MODIFIERS, 2);
      if (near.length === 0) continue;
      const at = doc.text.indexOf(`|${bad}`, site.keySpan.start) + 1;
      if (at <= 0 || at > site.keySpan.end) continue;
      out.push(finding({ start: at, end: at + bad.length }, 'hint', 'modifier-suggestion', `Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?`,
        near.map((n, i) => ({ title: `Change modifier to ${n}`, edits: [{ start: at, end: at + bad.length, newText: n }], preferred: i === 0 }))));
    }
  }
}

export function validateDetection(doc: SigmaDocument): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  checkConditionRefs(doc, out);
  for (const site of doc.keySites) checkValues(site, siteValueNode(doc, site), out);
  modifierFixes(doc, out);
  return out;
}
