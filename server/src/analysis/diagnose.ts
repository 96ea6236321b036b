import type { Predicate } from '../catalog/record';
import type { CorpusIndex } from '../catalog/stats/corpusIndex';
import { selectionsFiringAlone } from '../sigma/conditionEval';
import type { KeySite, SigmaDocument, Span } from '../sigma/document';
import type { SigmaProblem } from '../sigma/rule';
import { predicatesAt } from './predicateAt';
import { validateSigma, type Fix, type SigmaKnowledge } from './validate';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  span: Span;
  severity: Severity;
  code: string;
  message: string;
  /** Quick fixes the editor offers as code actions (the validator's). */
  fixes?: Fix[];
}

/** What the catalog contributes to diagnostics; absent while no catalog is loaded. */
export interface ReachContext {
  corpus: CorpusIndex;
  threshold: number;
}

function problemSpan(doc: SigmaDocument, problem: SigmaProblem): Span {
  if (problem.conditionRange && doc.condition) {
    const start = doc.condition.valueStart + problem.conditionRange.start;
    return { start, end: Math.max(start + 1, doc.condition.valueStart + problem.conditionRange.end) };
  }
  if (problem.selection) {
    const site = problem.key ? doc.keySites.find((s) => s.selection === problem.selection && s.key === problem.key) : undefined;
    if (site) return site.keySpan;
    const span = doc.selectionSpans.get(problem.selection);
    if (span) return span;
  }
  return (problem.topKey && doc.topKeys.get(problem.topKey)) || doc.topKeys.get('detection') || { start: 0, end: 0 };
}

function codeOf(problem: SigmaProblem): string {
  if (problem.conditionRange) return problem.message.startsWith('condition:') ? 'condition-syntax' : 'undefined-selection';
  if (problem.message.startsWith('unknown modifier')) return 'unknown-modifier';
  if (problem.message.includes('cannot be combined') || problem.message.includes('needs the re modifier')) return 'invalid-modifiers';
  return 'sigma-structure';
}

function describe(p: Predicate, value: string): string {
  return `${p.field} ${p.op} '${value}'`;
}

interface ValueReach {
  site: KeySite;
  span: Span;
  predicate: Predicate;
  value: string;
  reach: number;
}

function valueReaches(doc: SigmaDocument, ctx: ReachContext): ValueReach[] {
  const rule = doc.rule;
  if (!rule) return [];
  const out: ValueReach[] = [];
  for (const site of doc.keySites) {
    for (const v of site.values) {
      for (const predicate of predicatesAt(rule, site, v.value)) {
        if (predicate.negated || predicate.values.length === 0) continue;
        for (const value of predicate.values) {
          out.push({ site, span: v.span, predicate, value, reach: ctx.corpus.reachOf(predicate.field, predicate.op, value) });
        }
      }
    }
  }
  return out;
}

/** A branch of a selection is noisy when every one of its tests hits a high-reach value. */
function noisyBranch(sites: KeySite[], reaches: ValueReach[], threshold: number): ValueReach[] | undefined {
  if (sites.length === 0) return undefined;
  const evidence: ValueReach[] = [];
  for (const site of sites) {
    const high = reaches.filter((r) => r.site === site && r.reach >= threshold);
    if (high.length === 0) return undefined;
    evidence.push(high.reduce((a, b) => (b.reach > a.reach ? b : a)));
  }
  return evidence;
}

function noisySelections(doc: SigmaDocument, reaches: ValueReach[], ctx: ReachContext): Finding[] {
  const rule = doc.rule;
  if (!rule?.condition?.ok) return [];
  const names = rule.selections.map((s) => s.name);
  const findings: Finding[] = [];
  for (const name of selectionsFiringAlone(rule.condition.tree, names)) {
    const sites = doc.keySites.filter((s) => s.selection === name);
    const branches = [...new Set(sites.map((s) => s.branch))];
    for (const branch of branches) {
      const evidence = noisyBranch(sites.filter((s) => s.branch === branch), reaches, ctx.threshold);
      if (!evidence) continue;
      const figures = evidence.map((e) => `${describe(e.predicate, e.value)} is tested by ${e.reach} rules`).join('; ');
      findings.push({
        span: doc.selectionSpans.get(name) ?? evidence[0]!.site.keySpan, severity: 'warning', code: 'noisy-selection',
        message: `Selection '${name}' can fire on its own and tests only high-reach indicators (${figures}; high reach is ≥ ${ctx.threshold} rules in this catalog). It is noisy on its own: combine it with a specific test.`,
      });
      break;
    }
  }
  return findings;
}

function valueHints(reaches: ValueReach[], ctx: ReachContext): Finding[] {
  return reaches
    .filter((r) => r.reach >= ctx.threshold)
    .map((r) => ({
      span: r.span, severity: 'hint' as const, code: 'high-reach-value',
      message: `${describe(r.predicate, r.value)} is tested by ${r.reach} rules across the catalog (high reach ≥ ${ctx.threshold}): noisy on its own.`,
    }));
}

/**
 * Every diagnostic of a Sigma document: YAML, the rule model, the specification's validation, and (with a
 * catalog) corpus reach, log source and field knowledge.
 */
export function diagnose(doc: SigmaDocument, ctx?: ReachContext, knowledge?: SigmaKnowledge): Finding[] {
  const findings: Finding[] = doc.yamlErrors.map((e) => ({ span: e.span, severity: e.severity, code: 'yaml', message: e.message }));
  if (!doc.isSigma || !doc.rule) return findings;
  for (const problem of doc.rule.problems) {
    findings.push({ span: problemSpan(doc, problem), severity: problem.severity, code: codeOf(problem), message: problem.message });
  }
  findings.push(...validateSigma(doc, knowledge));
  if (ctx && findings.every((f) => f.severity !== 'error')) {
    const reaches = valueReaches(doc, ctx);
    findings.push(...noisySelections(doc, reaches, ctx), ...valueHints(reaches, ctx));
  }
  return findings;
}
