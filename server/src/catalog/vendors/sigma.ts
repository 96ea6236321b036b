import * as jsyaml from 'js-yaml';
import type { Problem, RuleRecord } from '../record';
import { eventsFor } from '../normalize/events';
import { readSigmaRule, type SigmaRule } from '../../sigma/rule';
import { detectionLine, documentLine } from '../../sigma/lines';
import { nestingRefusal } from '../yamlNesting';
import { failed, sectionsToRead, skipped, type ParseOutcome, type SourceFile, type VendorParser } from './parser';
import { loadSections } from './yamlSections';

type Doc = Record<string, unknown>;

function isMap(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NETWORK_CATEGORIES = new Set(['firewall', 'dns', 'proxy', 'webserver', 'network_connection']);

function platformsOf(rule: SigmaRule): string[] {
  const { product, category } = rule.logsource;
  if (product) return [product];
  if (category && NETWORK_CATEGORIES.has(category)) return ['network'];
  return [];
}

function eventIdsOf(rule: SigmaRule): string[] {
  return rule.predicates
    .filter((p) => p.field === 'EventID' && !p.negated && (p.op === 'eq' || p.op === 'in'))
    .flatMap((p) => p.values);
}

function toRecord(file: SourceFile, rule: SigmaRule, docIndex: number): RuleRecord {
  const problems: Problem[] = rule.problems.map((p) => {
    const line = detectionLine(file.text, p.selection, p.key);
    return line === undefined ? { message: p.message } : { message: p.message, line };
  });
  return {
    vendor: 'sigma', id: rule.id || file.path, title: rule.title, path: file.path, language: 'sigma',
    techniques: rule.techniques, platforms: platformsOf(rule),
    events: eventsFor('sigma', { ...rule.logsource, eventIds: eventIdsOf(rule) }),
    predicates: rule.predicates.map(({ selection: _s, key: _k, branch: _b, ...predicate }) => predicate),
    problems, kind: rule.kind, line: documentLine(file.text, docIndex), file: file.absPath, logsource: rule.logsource,
    ...(rule.raw.status === 'deprecated' ? { deprecated: true } : {}),
  };
}

/**
 * Sigma 1 multi-document rules: a first document with `action: global` is merged into every
 * following one. Sigma 2 rule collections (a correlation and its base rules) are separate documents.
 */
function expandDocuments(docs: Doc[]): Doc[] {
  const first = docs[0];
  if (docs.length < 2 || first?.action !== 'global') return docs;
  const { action: _action, ...global } = first;
  return docs.slice(1).map((doc) => mergeDeep(global, doc));
}

function mergeDeep(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isMap(prior) && isMap(value) ? mergeDeep(prior, value) : value;
  }
  return out;
}

function isSigmaDocument(doc: Doc): boolean {
  return isMap(doc.detection) || isMap(doc.correlation) || isMap(doc.filter);
}

/** Every top-level key readSigmaRule, toRecord and expandDocuments read (not description, references, …). */
export const SIGMA_SECTIONS: ReadonlySet<string> = new Set(['title', 'id', 'name', 'status', 'tags', 'logsource', 'detection', 'correlation', 'filter', 'action']);

/** The file's YAML documents, of the keys the parser reads where the file allows (yamlSections.ts). */
function loadDocuments(file: SourceFile): unknown[] | ParseOutcome {
  return loadSections(file.text, sectionsToRead(file.context, SIGMA_SECTIONS), (text) => loadYaml(file, text), Array.isArray);
}

function loadYaml(file: SourceFile, text: string): unknown[] | ParseOutcome {
  const refusal = nestingRefusal(text);
  if (refusal) return failed(file, 'sigma', refusal);
  try {
    return jsyaml.loadAll(text, undefined, { filename: file.path });
  } catch (error) {
    const line = error instanceof jsyaml.YAMLException ? error.mark?.line : undefined;
    const reason = `YAML error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    return failed(file, 'sigma', reason, line === undefined ? undefined : line + 1);
  }
}

export const sigmaParser: VendorParser = {
  vendor: 'sigma',
  parse(file: SourceFile): ParseOutcome {
    const loaded = loadDocuments(file);
    if (!Array.isArray(loaded)) return loaded;
    const docs = expandDocuments(loaded.filter(isMap));
    if (docs.length === 0) return failed(file, 'sigma', loaded.length === 0 ? 'empty file' : 'not a YAML map');
    const rules = docs.filter(isSigmaDocument);
    if (rules.length === 0) return skipped('YAML without detection, correlation or filter: not a Sigma rule');
    return { rules: rules.map((doc) => toRecord(file, readSigmaRule(doc), docs.indexOf(doc))) };
  },
};
