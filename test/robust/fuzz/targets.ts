import * as jsyaml from 'js-yaml';
import { parseToml } from '../../../server/src/catalog/vendors/elastic/toml';
import { parseEql } from '../../../server/src/catalog/vendors/elastic/eql';
import { parseEsql } from '../../../server/src/catalog/vendors/elastic/esql';
import { parseKql } from '../../../server/src/catalog/vendors/elastic/kql';
import { parseLucene } from '../../../server/src/catalog/vendors/elastic/lucene';
import { elasticParser } from '../../../server/src/catalog/vendors/elastic';
import { chronicleParser } from '../../../server/src/catalog/vendors/chronicle';
import { pantherParser } from '../../../server/src/catalog/vendors/panther';
import { sentinelParser } from '../../../server/src/catalog/vendors/sentinel';
import { readKusto } from '../../../server/src/catalog/vendors/sentinel/kqlQuery';
import { splunkParser } from '../../../server/src/catalog/vendors/splunk';
import { readPipeline } from '../../../server/src/catalog/vendors/splunk/splPipeline';
import { sigmaParser } from '../../../server/src/catalog/vendors/sigma';
import type { ParseOutcome, SourceFile, VendorParser } from '../../../server/src/catalog/vendors/parser';
import { parseSigmaDocument } from '../../../server/src/sigma/document';
import { parseCondition } from '../../../server/src/sigma/condition/parser';
import { diagnose } from '../../../server/src/analysis/diagnose';
import { corpusSeeds, fixtureSeeds, type Seeds } from './seeds';

/**
 * One parser API under fuzz. `run` calls it the way the product does; an exception escaping `run` is a
 * bug. It returns the reason when the API had to fall back on its own catch-all ("internal error"),
 * which hides a bug from the user but is still one: the fuzz test counts and reports those too.
 */
export interface Target {
  name: string;
  seeds: () => Seeds;
  tokens: string[];
  run: (input: string) => string | undefined;
  /** Inputs per run: the issue asks for at least 10,000 per parser; wrappers around a parser get fewer. */
  runs: number;
}

const file = (path: string, text: string, companion?: SourceFile['companion']): SourceFile => ({ path, absPath: `/fuzz/${path}`, text, context: {}, ...(companion ? { companion } : {}) });

/** The reason when a vendor parser reports its own catch-all rather than a real parse failure. */
function internal(outcome: ParseOutcome): string | undefined {
  const reason = outcome.failure?.reason ?? '';
  return /internal error|parser error/i.test(reason) ? reason : undefined;
}

const vendorRun = (parser: VendorParser, path: string) => (text: string) => internal(parser.parse(file(path, text)));

function elasticQueries(language: string) {
  return (text: string): string[] => {
    const rule = (parseToml(text) as { rule?: { language?: unknown; query?: unknown } }).rule;
    const lang = typeof rule?.language === 'string' ? rule.language : 'kuery';
    return lang === language && typeof rule?.query === 'string' ? [rule.query] : [];
  };
}

function yamlKey(key: string) {
  return (text: string): string[] => {
    const doc = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown> | null;
    const value = doc?.[key];
    return typeof value === 'string' ? [value] : [];
  };
}

function sigmaConditions(text: string): string[] {
  return jsyaml.loadAll(text).flatMap((doc) => {
    const condition = (doc as { detection?: { condition?: unknown } } | null)?.detection?.condition;
    return typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition.filter((c): c is string => typeof c === 'string') : [];
  });
}

const whole = (text: string) => [text];

/** Panther's `Tests:` hold sample logs, most of a file's bytes, which the parser never reads. */
function withoutTests(text: string): string[] {
  return [text.replace(/^Tests:[\s\S]*?(?=^\S|(?![\s\S]))/m, '')];
}

function merge(a: Seeds, b: Seeds): Seeds {
  return { texts: [...a.texts, ...b.texts], origin: `${a.origin}; ${b.origin}` };
}

const SIGMA = `title: Synthetic
id: 5f1b3a77-8a8e-4d2e-9a1e-0d8f6a9b1c2d
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: ['\\\\cmd.exe', '\\\\powershell.exe']
    CommandLine|contains|all: [' -enc ', 'bypass']
  filter_main_system:
    User|startswith: 'NT AUTHORITY'
  condition: selection and not 1 of filter_main_*
tags: [attack.execution, attack.t1059.001]
level: high
`;
const ELASTIC = (language: string, query: string) => `[metadata]\ncreation_date = "2020/01/01"\n\n[rule]\nname = "Synthetic"\nrule_id = "x"\ntype = "query"\nlanguage = "${language}"\nquery = '''\n${query}\n'''\n`;

export const TARGETS: Target[] = [
  {
    name: 'Sigma model (parseSigmaDocument + readSigmaRule + diagnose, sigma parser.parse)', runs: 10_000,
    seeds: () => corpusSeeds('sigma', 'rules*/**/*.yml', whole, [SIGMA]),
    tokens: ['detection:', 'condition:', 'selection:', '|contains', '|re', '|base64offset', '|all', '|windash', '|cidr', '|expand', '|fieldref', 'logsource:', 'correlation:', 'action: global', '&x', '*x', '<<: *x'],
    run: (text) => {
      const doc = parseSigmaDocument(text);
      diagnose(doc);
      return internal(sigmaParser.parse(file('rule.yml', text)));
    },
  },
  {
    name: 'Sigma condition grammar (parseCondition)', runs: 10_000,
    seeds: () => corpusSeeds('sigma', 'rules*/**/*.yml', sigmaConditions, ['selection and not 1 of filter_*', 'all of them', '(a or b) and not (c | count() > 5)']),
    tokens: ['1 of', 'all of', 'any of', 'them', 'selection_*', 'filter', 'not', 'and', 'or', '(', ')', '|', 'count() > 1', 'near'],
    run: (text) => {
      parseCondition(text);
      return undefined;
    },
  },
  {
    name: 'KQL (Elastic parseKql)', runs: 10_000,
    seeds: () => corpusSeeds('elastic', 'rules*/**/*.toml', elasticQueries('kuery'), ['process.name:"cmd.exe" and not user.name:(SYSTEM or root)', 'event.code:4688 and process.args:(* -enc *)']),
    tokens: ['field:', ':*', 'and', 'or', 'not', '{', '}', '>=', '"quoted"', '\\*', 'nested:{ a:1 }'],
    run: (text) => void parseKql(text),
  },
  {
    name: 'EQL (Elastic parseEql)', runs: 10_000,
    seeds: () => corpusSeeds('elastic', 'rules*/**/*.toml', elasticQueries('eql'), ['process where process.name : "cmd.exe" and not process.args : "/c"', 'sequence by host.id with maxspan=1m [process where true] [network where destination.port == 443]']),
    tokens: ['sequence', 'sample', 'by', 'with maxspan=', 'until', 'where', ' : ', '~', 'in~', 'like~', 'regex~', 'startsWith(', 'stringContains(', 'descendant of', '[', ']', 'runs='],
    run: (text) => void parseEql(text),
  },
  {
    name: 'ES|QL (Elastic parseEsql)', runs: 10_000,
    seeds: () => corpusSeeds('elastic', 'rules*/**/*.toml', elasticQueries('esql'), ['from logs-* | where event.action == "x" and not to_lower(user.name) like "*svc*" | stats c = count(*) by host.name | where c > 5']),
    tokens: ['from', '| where', '| stats', '| eval', '| keep', 'metadata', 'like', 'rlike', 'in (', 'KQL("', 'MATCH(', 'INLINE STATS', '| dissect', '| grok'],
    run: (text) => void parseEsql(text),
  },
  {
    name: 'Lucene (Elastic parseLucene)', runs: 10_000,
    // The corpus has few Lucene rules; KQL queries are close to Lucene's query-string syntax and add variety.
    seeds: () => merge(
      corpusSeeds('elastic', 'rules*/**/*.toml', elasticQueries('lucene'), ['event.category:process AND process.name:(cmd.exe OR powershell.exe) AND NOT user.name:SYSTEM', '_exists_:file.path AND -x:y'], 'language = "lucene"'),
      corpusSeeds('elastic', 'rules/**/*.toml', elasticQueries('kuery'), []),
    ),
    tokens: ['AND', 'OR', 'NOT', '_exists_:', '[1 TO 5]', '{a TO b}', '~2', '^3', '+', '-', '/re/', '\\:'],
    run: (text) => void parseLucene(text),
  },
  {
    name: 'SPL (Splunk readPipeline)', runs: 10_000,
    seeds: () => corpusSeeds('splunk', 'detections/**/*.yml', yamlKey('search'), ['| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest | `drop_dm_object_name(Processes)` | where count > 5']),
    tokens: ['| tstats', '| search', '| where', '| regex', '| eval', '| stats', 'datamodel=', 'sourcetype=', 'IN (', 'like(', 'match(', '`macro`', '[', ']', 'NOT', '!='],
    run: (text) => void readPipeline(text),
  },
  {
    name: 'Kusto (Sentinel readKusto)', runs: 10_000,
    seeds: () => corpusSeeds('sentinel', '{Detections,Hunting Queries}/**/*.{yml,yaml}', yamlKey('query'), ['let x = dynamic(["a","b"]);\nSecurityEvent | where EventID == 4688 and CommandLine has_any (x) | join kind=inner (SigninLogs | where ResultType != 0) on Account | summarize count() by Account']),
    tokens: ['let', 'dynamic([', '| where', '| join', '| union', '| summarize', 'has_any', '!has', 'in~', 'startswith', 'matches regex', 'materialize(', '(', ')', ';', '@"', "h'"],
    run: (text) => void readKusto(text),
  },
  {
    name: 'YARA-L (Chronicle parser.parse)', runs: 10_000,
    seeds: () => corpusSeeds('chronicle', 'rules/**/*.yaral', whole, ['rule x {\n meta:\n  author = "a"\n events:\n  $e.metadata.event_type = "PROCESS_LAUNCH"\n  not $e.principal.process.file.full_path = /cmd\\.exe$/ nocase\n condition:\n  $e\n}\n']),
    tokens: ['rule x {', 'meta:', 'events:', 'match:', 'outcome:', 'condition:', '$e.', '$e1.', 'nocase', '/re/', 're.regex(', 'strings.', '%list', 'any', 'all', 'over 5m', '}'],
    run: vendorRun(chronicleParser, 'rule.yaral'),
  },
  {
    name: 'Panther YAML (parser.parse)', runs: 10_000,
    seeds: () => corpusSeeds('panther', 'rules/**/*.yml', withoutTests, ['AnalysisType: rule\nRuleID: X\nEnabled: true\nLogTypes: [AWS.CloudTrail]\nDetection:\n  - KeyPath: eventName\n    Condition: Equals\n    Value: ConsoleLogin\n  - Any:\n    - KeyPath: x.y\n      Condition: IsIn\n      Values: [a, b]\n']),
    tokens: ['AnalysisType: rule', 'Detection:', '- KeyPath:', 'Condition:', 'Value:', 'Values:', 'All:', 'Any:', 'OnlyOne:', 'None:', 'DeepKey:', 'Filename: x.py', 'Reports:', 'InlineFilters:'],
    run: vendorRun(pantherParser, 'rule.yml'),
  },
  {
    name: 'Panther Python (parser.parse with the .py companion)', runs: 10_000,
    // The corpus snapshot holds Panther's YAML only; the Python comes from the repository's fixtures.
    seeds: () => fixtureSeeds('panther', '**/*.py', ['from panther_base_helpers import deep_get\n\nBAD = {"a", "b"}\n\ndef rule(event):\n    if event.get("x") in BAD:\n        return True\n    return deep_get(event, "a", "b") == "c" and not event.udm("y")\n']),
    tokens: ['def rule(event):', 'return ', 'if ', 'elif ', 'else:', 'event.get(', 'deep_get(event, ', 'event.udm(', ' in ', ' not in ', 'lambda', 'for x in', 'and', 'or', 'not', '    ', '\\'],
    run: (text) => internal(pantherParser.parse(file('rule.yml', 'AnalysisType: rule\nRuleID: Fuzz\nFilename: rule.py\nLogTypes: [AWS.CloudTrail]\n', { path: 'rule.py', text }))),
  },
  {
    name: 'Elastic TOML files (parser.parse)', runs: 3_000,
    seeds: () => corpusSeeds('elastic', 'rules*/**/*.toml', whole, [ELASTIC('kuery', 'process.name:cmd.exe'), ELASTIC('eql', 'process where true')]),
    tokens: ['[rule]', '[metadata]', "'''", '"""', 'language = "eql"', 'language = "esql"', 'language = "lucene"', '[[rule.threat]]', 'index = ['],
    run: vendorRun(elasticParser, 'rule.toml'),
  },
  {
    name: 'Splunk YAML files (parser.parse)', runs: 3_000,
    seeds: () => corpusSeeds('splunk', 'detections/**/*.yml', whole, ['name: x\nid: y\ntype: TTP\nsearch: \'| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe\'\ntags:\n  mitre_attack_id: [T1059]\n']),
    tokens: ['search: |', 'tags:', 'mitre_attack_id:', 'data_source:', 'how_to_implement:'],
    run: vendorRun(splunkParser, 'detections/endpoint/rule.yml'),
  },
  {
    name: 'Sentinel YAML files (parser.parse)', runs: 3_000,
    seeds: () => corpusSeeds('sentinel', 'Detections/**/*.{yml,yaml}', whole, ['id: x\nname: y\nqueryFrequency: 1h\nrelevantTechniques: [T1059]\nquery: |\n  SecurityEvent | where EventID == 4688\n']),
    tokens: ['query: |', 'relevantTechniques:', 'tactics:', 'requiredDataConnectors:', 'entityMappings:'],
    run: vendorRun(sentinelParser, 'Detections/rule.yaml'),
  },
];
