import type { Problem, RuleRecord } from '../../record';
import { toPredicate } from '../../predicate';
import { failed, sectionsToRead, skipped, type ParseOutcome, type SourceFile, type VendorParser } from '../parser';
import { lineOf, locateKey, mapValue, readYaml, stringList, stringValue, type YamlMap } from '../yamlDoc';
import { readKusto } from './kqlQuery';
import { sentinelEvents, sentinelPlatforms } from './sources';

/**
 * Microsoft Sentinel analytics rules and hunting queries (Detections/, Hunting Queries/,
 * Solutions/*\/Analytic Rules/): YAML with a Kusto `query:`, `relevantTechniques`, `tactics` and
 * `requiredDataConnectors`.
 */
export const sentinelParser: VendorParser = {
  vendor: 'sentinel',
  parse(file: SourceFile): ParseOutcome {
    try {
      return parseSentinel(file);
    } catch (err) {
      // Parsers never throw: anything unexpected becomes this file's failure.
      return failed(file, 'sentinel', `sentinel parser error: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
};

/** Every top-level key parseSentinel and buildRecord read. */
export const SENTINEL_SECTIONS: ReadonlySet<string> = new Set(['query', 'name', 'id', 'relevantTechniques', 'requiredDataConnectors']);

function parseSentinel(file: SourceFile): ParseOutcome {
  // The indexer strips the BOM; a parser called directly (tests, the editor) may still see one.
  const text = file.text.replace(/^\uFEFF/, '');
  const read = readYaml(text, { sections: sectionsToRead(file.context, SENTINEL_SECTIONS) });
  if ('error' in read) return failed(file, 'sentinel', read.error, read.line);
  const query = stringValue(read.doc['query']);
  // A handful of upstream files are stubs left where a rule moved: id, name, description only.
  if (query === undefined) return skipped('sentinel file without a query (moved or retired rule stub)');
  return { rules: [buildRecord(file, text, read.doc, query)] };
}

function buildRecord(file: SourceFile, text: string, doc: YamlMap, query: string): RuleRecord {
  const kusto = readKusto(query);
  const predicates = kusto.tests.map((t) => toPredicate('sentinel', t));
  // the query's place in the file is looked up only for a problem (few rules have one)
  const location = kusto.problems.length > 0 ? locateKey(text, 'query') : undefined;
  const problems: Problem[] = kusto.problems.map(({ message, pos }) => {
    const line = lineOf(location, query, pos);
    return line === undefined ? { message } : { message, line };
  });
  const connectors = dataConnectors(doc);
  const title = stringValue(doc['name']) ?? file.path;
  const record: RuleRecord = {
    vendor: 'sentinel',
    id: stringValue(doc['id']) ?? file.path,
    title,
    path: file.path,
    language: 'kusto',
    techniques: techniques(doc),
    platforms: sentinelPlatforms([...kusto.tables, ...connectors], `${title}\n${file.path}`),
    events: sentinelEvents(kusto.tables, predicates),
    predicates,
    problems,
    file: file.absPath,
  };
  if (/deprecated/i.test(title) || /(^|\/)deprecated\//i.test(file.path)) record.deprecated = true;
  return record;
}

/** `relevantTechniques: [T1098.003]`, upper-cased; a bad entry (`T1078 `, `t1110`) is tidied, junk dropped. */
function techniques(doc: YamlMap): string[] {
  const ids = stringList(doc['relevantTechniques']).map((t) => t.trim().toUpperCase()).filter((t) => /^T\d{4}(\.\d{3})?$/.test(t));
  return [...new Set(ids)];
}

/** Connector ids and data types of `requiredDataConnectors`, as platform hints. */
function dataConnectors(doc: YamlMap): string[] {
  const list = Array.isArray(doc['requiredDataConnectors']) ? (doc['requiredDataConnectors'] as unknown[]).slice(0, 100) : [];
  const names: string[] = [];
  for (const item of list) {
    const connector = mapValue(item);
    if (!connector) continue;
    const id = stringValue(connector['connectorId']);
    if (id) names.push(id);
    names.push(...stringList(connector['dataTypes']).slice(0, 100));
  }
  return names;
}
