import { parseToml, TomlError } from './toml';
import { eventsFor } from '../../normalize/events';
import { toPredicate, type FieldTest } from '../../predicate';
import type { Language, Problem, RuleEvent, RuleKind, RuleRecord } from '../../record';
import { failed, skipped, type ParseOutcome, type SourceFile, type VendorParser } from '../parser';
import { emptyResult, type QueryResult } from './ast';
import { parseEql } from './eql';
import { parseEsql } from './esql';
import { parseKql } from './kql';
import { parseLucene } from './lucene';
import { isTable, platformsOf, queryLine, scopeOf, strings, techniquesOf } from './metadata';

const LANGUAGES: Record<string, { language: Language; parse: (query: string) => QueryResult }> = {
  kuery: { language: 'kql', parse: parseKql },
  eql: { language: 'eql', parse: parseEql },
  esql: { language: 'esql', parse: parseEsql },
  lucene: { language: 'lucene', parse: parseLucene },
};

/** Fields whose equality values name the data source or event category (not indicators themselves). */
const DATASET_FIELDS = new Set(['data_stream.dataset', 'event.dataset', 'event.module']);

export const elasticParser: VendorParser = {
  vendor: 'elastic',
  parse(file: SourceFile): ParseOutcome {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(file.text);
    } catch (err) {
      if (!(err instanceof TomlError)) return failed(file, 'elastic', `invalid TOML: ${String(err)}`);
      return failed(file, 'elastic', `invalid TOML: ${err.message.split('\n')[0] ?? ''}`, err.line);
    }
    try {
      return toOutcome(file, doc);
    } catch (err) {
      // A bug of ours must cost one file, not the index.
      return failed(file, 'elastic', `Elastic parser error: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
};

function toOutcome(file: SourceFile, doc: Record<string, unknown>): ParseOutcome {
  const rule = doc['rule'];
  if (!isTable(rule)) return skipped('no [rule] table: not an Elastic detection rule');
  const metadata = isTable(doc['metadata']) ? doc['metadata'] : {};
  const type = typeof rule['type'] === 'string' ? rule['type'] : 'query';
  const kind: RuleKind = type === 'machine_learning' ? 'machine_learning' : type === 'threshold' ? 'threshold' : 'detection';
  const languageName = typeof rule['language'] === 'string' ? rule['language'] : 'kuery';
  const spec = LANGUAGES[languageName];
  const problems: Problem[] = [];
  const result = queryResult(file, rule, kind, spec, problems);
  const indices = [...strings(rule['index']), ...result.indices];
  const platforms = platformsOf(strings(rule['tags']), indices, datasetsOf(result.tests));
  // CloudTrail's event.action is aws::eventName only in an AWS rule: the field table keys that on scope.
  const scope = scopeOf(platforms);
  const id = typeof rule['rule_id'] === 'string' && rule['rule_id'] !== '' ? rule['rule_id'] : file.path;
  const record: RuleRecord = {
    vendor: 'elastic',
    id,
    title: typeof rule['name'] === 'string' ? rule['name'] : id,
    path: file.path,
    // A machine-learning rule has no query language; Kibana's default language stands in.
    language: spec?.language ?? 'kql',
    techniques: techniquesOf(rule),
    platforms,
    events: eventsOf(result, indices, platforms),
    predicates: result.tests.map((test) => toPredicate('elastic', test, scope || test.scope)),
    problems: [...problems, ...result.problems],
    kind,
    file: file.absPath,
  };
  if (metadata['maturity'] === 'deprecated' || /(^|\/)_deprecated\//.test(file.path)) record.deprecated = true;
  return { rules: [record] };
}

/** Parses the rule's query with its language; problem lines are moved from the query to the file. */
function queryResult(
  file: SourceFile,
  rule: Record<string, unknown>,
  kind: RuleKind,
  spec: (typeof LANGUAGES)[string] | undefined,
  problems: Problem[],
): QueryResult {
  const query = rule['query'];
  if (typeof query !== 'string') {
    if (kind !== 'machine_learning') problems.push({ message: 'rule has no query' });
    return emptyResult();
  }
  if (!spec) {
    problems.push({ message: `unknown query language "${String(rule['language'])}"`, line: queryLine(file.text) });
    return emptyResult();
  }
  const result = spec.parse(query);
  // the query's line in the file is looked up only for a problem that needs it (few rules have one)
  if (result.problems.some((p) => p.line !== undefined)) {
    const offset = queryLine(file.text) - 1;
    result.problems = result.problems.map((p) => (p.line === undefined ? p : { ...p, line: p.line + offset }));
  }
  return result;
}

/** Values of positive dataset equalities (`data_stream.dataset: aws.cloudtrail`), for platforms. */
function datasetsOf(tests: FieldTest[]): string[] {
  return tests
    .filter((t) => DATASET_FIELDS.has(t.sourceField) && !t.negated && t.op === 'eq')
    .flatMap((t) => t.values);
}

/** EQL categories; for the other languages, a positive `event.category` equality stands for one. */
function eventsOf(result: QueryResult, indices: string[], platforms: string[]): RuleEvent[] {
  let categories = result.eventCategories.filter((c) => c !== 'any');
  if (categories.length === 0) {
    categories = result.tests
      .filter((t) => t.sourceField === 'event.category' && !t.negated && t.op === 'eq')
      .flatMap((t) => t.values.map((v) => v.toLowerCase()));
  }
  const hints = categories.length > 0 ? [...new Set(categories)] : [undefined];
  const seen = new Map<string, RuleEvent>();
  for (const eventCategory of hints) {
    const hint = eventCategory === undefined ? { indices, platforms } : { eventCategory, indices, platforms };
    for (const event of eventsFor('elastic', hint)) seen.set(`${event.provider}\u0000${event.event}`, event);
  }
  return [...seen.values()];
}
