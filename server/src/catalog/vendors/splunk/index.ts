import type { Problem, RuleKind, RuleRecord } from '../../record';
import { toPredicate } from '../../predicate';
import { failed, sectionsToRead, skipped, type ParseOutcome, type SourceFile, type VendorParser } from '../parser';
import { type DataSourceHint, expandMacros } from './macros';
import { type PipelineResult, readPipeline } from './splPipeline';
import { type SourceFacts, splunkEvents, splunkPlatforms } from './sources';
import { locateKey, mapValue, readYaml, stringList, stringValue, type YamlMap } from '../yamlDoc';

export { loadSplunkMacros } from './macros';

/**
 * Splunk security_content detections: `detections/**.yml` with an SPL `search:`. The repository's
 * `macros/` and `data_sources/` files are definitions, not rules, and are skipped with a reason.
 */
export const splunkParser: VendorParser = {
  vendor: 'splunk',
  parse(file: SourceFile): ParseOutcome {
    try {
      return parseSplunk(file);
    } catch (err) {
      // Parsers never throw: anything unexpected becomes this file's failure.
      return failed(file, 'splunk', `splunk parser error: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
};

/** Every top-level key buildRecord and the functions it calls read. */
export const SPLUNK_SECTIONS: ReadonlySet<string> = new Set(['name', 'id', 'search', 'tags', 'type', 'status', 'data_source']);

const NOT_RULES: [RegExp, string][] = [
  [/(^|\/)macros\//, 'splunk macro definition'],
  [/(^|\/)data_sources\//, 'splunk data source definition'],
  [/(^|\/)(stories|lookups|baselines|playbooks|response_templates|deployments)\//, 'splunk content that is not a detection'],
];

/** Problems of the search, at the `search:` line (looked up only when there is a problem: few rules have one). */
function problemsAt(text: string, messages: string[]): Problem[] {
  if (messages.length === 0) return [];
  const line = locateKey(text, 'search')?.keyLine;
  return messages.map((message) => (line === undefined ? { message } : { message, line }));
}

function parseSplunk(file: SourceFile): ParseOutcome {
  for (const [re, reason] of NOT_RULES) if (re.test(file.path)) return skipped(reason);
  const read = readYaml(file.text, { sections: sectionsToRead(file.context, SPLUNK_SECTIONS) });
  if ('error' in read) return failed(file, 'splunk', read.error, read.line);
  const doc = read.doc;
  const search = stringValue(doc['search']);
  if (search === undefined) return failed(file, 'splunk', 'no search: in the detection', locateKey(file.text, 'search')?.keyLine);
  return { rules: [buildRecord(file, doc, search)] };
}

function buildRecord(file: SourceFile, doc: YamlMap, search: string): RuleRecord {
  const expansion = expandMacros(search, file.context.splunkMacros);
  const pipeline = readPipeline(expansion.text);
  const known = partialFacts(doc, expansion.dataSources, pipeline, file.path);
  const platforms = splunkPlatforms(known);
  // Raw cloud searches keep the provider's names (`eventName`): the platform scope lets normalization
  // namespace them (`aws::eventName`). Datamodel names (`Processes.process_name`) need no scope: the
  // field table has rows for them as written.
  const scope = normalizationScope(platforms, expansion.dataSources);
  const predicates = pipeline.tests.map((t) => toPredicate('splunk', t, scope && !t.scope ? scope : t.scope));
  const problems = problemsAt(file.text, [...expansion.problems, ...pipeline.problems]);
  const title = stringValue(doc['name']) ?? file.path;
  const facts: SourceFacts = {
    ...known,
    eventIds: predicates.filter((p) => p.sourceField === 'EventCode' && !p.negated && (p.op === 'eq' || p.op === 'in')).flatMap((p) => p.values),
  };
  const record: RuleRecord = {
    vendor: 'splunk',
    id: stringValue(doc['id']) ?? file.path,
    title,
    path: file.path,
    language: 'spl',
    techniques: techniques(doc),
    platforms,
    events: splunkEvents(facts),
    predicates,
    problems,
    file: file.absPath,
  };
  const kind = ruleKind(doc);
  if (kind) record.kind = kind;
  if (/(^|\/)deprecated\//.test(file.path) || stringValue(doc['status']) === 'deprecated') record.deprecated = true;
  return record;
}

function partialFacts(doc: YamlMap, macros: DataSourceHint[], pipeline: PipelineResult, path: string): SourceFacts {
  return {
    dataSources: stringList(doc['data_source']),
    macros,
    sourcetypes: pipeline.sourcetypes,
    sources: pipeline.sources,
    datamodels: pipeline.datamodels,
    eventIds: [],
    nameAndPath: `${stringValue(doc['name']) ?? ''}\n${path}`,
  };
}

const CLOUD = new Set(['aws', 'azure', 'gcp', 'google_workspace', 'm365', 'okta', 'github', 'kubernetes']);

function normalizationScope(platforms: string[], macros: DataSourceHint[]): string | undefined {
  const cloud = platforms.filter((p) => CLOUD.has(p));
  return cloud.length === 1 ? cloud[0] : macros[0]?.macro;
}

function techniques(doc: YamlMap): string[] {
  const tags = mapValue(doc['tags']);
  const ids = stringList(tags?.['mitre_attack_id']).map((t) => t.trim().toUpperCase()).filter((t) => /^T\d{4}(\.\d{3})?$/.test(t));
  return [...new Set(ids)];
}

/** security_content `type: Correlation` searches read the risk index, not raw events. */
function ruleKind(doc: YamlMap): RuleKind | undefined {
  return stringValue(doc['type'])?.toLowerCase() === 'correlation' ? 'correlation' : undefined;
}
