import { eventsFor } from '../../normalize/events';
import { toPredicate, type FieldTest } from '../../predicate';
import type { Predicate, RuleRecord } from '../../record';
import { failed, skipped, type ParseOutcome, type SourceFile, type VendorParser } from '../parser';
import { DepthError, parseEvents } from './yaralExpr';
import { tokenize } from './yaralLexer';
import { techniquesOf, platformsOf } from './yaralMeta';
import { analyzeEvents } from './yaralPredicates';
import { metaValue, parseMeta, splitRules, type YaralRule } from './yaralRules';

/**
 * Chronicle / Google SecOps YARA-L 2.0 rules (`.yaral`), one or more `rule name { … }` per file.
 * Predicates come from the `events:` section only; match/outcome/condition give none.
 */

/** UDM fields whose positive values name the kind of log: they are predicates and the events hint. */
const LOG_TYPE_FIELDS = new Set(['metadata.event_type', 'metadata.log_type', 'metadata.product_name']);

export const chronicleParser: VendorParser = {
  vendor: 'chronicle',
  parse(file: SourceFile): ParseOutcome {
    try {
      return parseFile(file);
    } catch (err) {
      const reason = err instanceof DepthError ? err.message : `internal error: ${(err as Error).message}`;
      return failed(file, 'chronicle', reason);
    }
  },
};

function parseFile(file: SourceFile): ParseOutcome {
  const rules = splitRules(tokenize(file.text));
  if (rules.length === 0) {
    // Reference lists and other files next to the rules hold no `rule … {`.
    return /\brule\s+\w+/.test(file.text) ? failed(file, 'chronicle', 'no `rule NAME { … }` block found') : skipped('not a YARA-L rule file');
  }
  return { rules: rules.map((rule) => toRecord(file, rule)) };
}

function toRecord(file: SourceFile, rule: YaralRule): RuleRecord {
  const meta = parseMeta(rule.sections.get('meta'));
  const record: RuleRecord = {
    vendor: 'chronicle',
    id: metaValue(meta, 'rule_id', 'id') ?? rule.name,
    title: metaValue(meta, 'rule_name', 'name', 'title') ?? rule.name,
    path: file.path,
    language: 'yaral',
    techniques: techniquesOf(meta, rule.sections.get('outcome')),
    platforms: platformsOf(meta, file.path),
    events: [],
    predicates: [],
    problems: [],
    line: rule.line,
    file: file.absPath,
  };
  if (/(^|\/)_deprecated\//.test(file.path)) record.deprecated = true;
  const events = rule.sections.get('events');
  if (!events) {
    record.problems.push({ message: 'rule has no events: section', line: rule.line });
    return record;
  }
  const analysis = analyzeEvents(parseEvents(events));
  // The platform is the field scope: a cloud rule's product_event_type is that provider's event name.
  record.predicates = analysis.tests.map((test) => predicateOf(test, record.platforms.length ? record.platforms : test.scope));
  record.problems.push(...analysis.problems);
  record.events = eventsFor('chronicle', {
    logTypes: logTypesOf(analysis.tests),
    product: metaValue(meta, 'product')?.toLowerCase(),
    category: metaValue(meta, 'category')?.toLowerCase(),
    service: metaValue(meta, 'service')?.toLowerCase(),
  });
  return record;
}

/** toPredicate turns a one-value `in` into `eq`; a reference list stays `in`, since it holds many values. */
function predicateOf(test: FieldTest, scope: FieldTest['scope']): Predicate {
  const predicate = toPredicate('chronicle', test, scope);
  if (test.op === 'in' && test.values.length === 1 && test.values[0]?.startsWith('%')) predicate.op = 'in';
  return predicate;
}

function logTypesOf(tests: FieldTest[]): string[] {
  const types = new Set<string>();
  for (const t of tests) {
    if (LOG_TYPE_FIELDS.has(t.sourceField) && !t.negated && (t.op === 'eq' || t.op === 'in')) {
      for (const v of t.values) if (!v.startsWith('%')) types.add(v);
    }
  }
  return [...types];
}
