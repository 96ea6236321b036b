import { eventsFor } from '../../normalize/events';
import { toPredicate } from '../../predicate';
import type { Predicate, Problem, RuleRecord } from '../../record';
import { failed, sectionsToRead, skipped, type ParseOutcome, type SourceFile, type VendorParser } from '../parser';
import { and, condTests, TRUE, type Cond } from './cond';
import { platformsOf, techniquesOf } from './metadata';
import { analyzePython } from './python';
import { detectionCond } from './yamlDetection';
import { MAX_YAML_NESTING } from '../../yamlNesting';
import { expandsBeyond, readYaml } from '../yamlDoc';

/**
 * Panther analysis YAML (panther-analysis style). The YAML holds the metadata; the logic is either a
 * Simple Detection (`Detection:`) or the Python file named by `Filename:`, which the indexer passes as
 * `file.companion` when it sits beside the YAML. Without it the rule still indexes with its metadata
 * and a problem saying where the logic is.
 */

/** Every top-level key parseFile, toRecord and logicOf read (not `Tests:`, most of a file's bytes). */
export const PANTHER_SECTIONS: ReadonlySet<string> = new Set([
  'AnalysisType', 'RuleID', 'PolicyID', 'DisplayName', 'LogTypes', 'ResourceTypes', 'Reports', 'Status', 'InlineFilters', 'Detection', 'Filename',
]);

/** Real analysis files, unit tests and sample logs included, hold a few thousand nodes. */
const MAX_NODES = 200_000;

const DETECTION_TYPES = new Set(['rule', 'scheduled_rule', 'correlation_rule', 'policy']);

export const pantherParser: VendorParser = {
  vendor: 'panther',
  parse(file: SourceFile): ParseOutcome {
    try {
      return parseFile(file);
    } catch (err) {
      return failed(file, 'panther', `internal error: ${(err as Error).message}`);
    }
  },
};

function parseFile(file: SourceFile): ParseOutcome {
  const read = readYaml(file.text, { sections: sectionsToRead(file.context, PANTHER_SECTIONS), maxNesting: MAX_YAML_NESTING });
  if ('error' in read) return read.notMapping ? skipped('not a Panther analysis file') : failed(file, 'panther', read.error, read.line);
  if (expandsBeyond(read.doc, MAX_NODES)) return failed(file, 'panther', `YAML: more than ${MAX_NODES} nodes once aliases are expanded (an alias bomb?)`);
  const spec = read.doc;
  const type = typeof spec.AnalysisType === 'string' ? spec.AnalysisType : undefined;
  if (!type) return skipped('YAML without AnalysisType: not a Panther analysis file');
  if (!DETECTION_TYPES.has(type)) return skipped(`Panther ${type}: not a detection`);
  return { rules: [toRecord(file, spec, type)] };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toRecord(file: SourceFile, spec: Record<string, unknown>, type: string): RuleRecord {
  const id = str(spec.RuleID) ?? str(spec.PolicyID) ?? file.path;
  const logTypes = [...strings(spec.LogTypes), ...strings(spec.ResourceTypes)];
  const platforms = platformsOf(logTypes);
  const record: RuleRecord = {
    vendor: 'panther',
    id,
    title: str(spec.DisplayName) ?? id,
    path: file.path,
    // Simple Detections are YAML, but the contract's languages have none for them; Panther's is python.
    language: 'python',
    techniques: techniquesOf(spec.Reports),
    platforms,
    events: eventsFor('panther', { logTypes }),
    predicates: [],
    problems: [],
    file: file.absPath,
  };
  if (type === 'correlation_rule') record.kind = 'correlation';
  if (str(spec.Status)?.toLowerCase() === 'deprecated') record.deprecated = true;
  const logic = logicOf(file, spec, record.problems);
  record.predicates = dedupe(condTests(logic).map((t) => toPredicate('panther', { ...t, scope: platforms[0] })));
  return record;
}

/** Inline filters AND the Simple Detection or the Python rule. */
function logicOf(file: SourceFile, spec: Record<string, unknown>, problems: Problem[]): Cond {
  const parts: Cond[] = [];
  if (spec.InlineFilters !== undefined) parts.push(detectionCond(spec.InlineFilters, problems));
  if (spec.Detection !== undefined && spec.AnalysisType !== 'correlation_rule') parts.push(detectionCond(spec.Detection, problems));
  const filename = str(spec.Filename);
  if (filename) parts.push(pythonLogic(file, filename, problems));
  return parts.length > 0 ? and(...parts) : TRUE;
}

function pythonLogic(file: SourceFile, filename: string, problems: Problem[]): Cond {
  const companion = file.companion;
  const base = (p: string): string => p.slice(p.replace(/\\/g, '/').lastIndexOf('/') + 1);
  if (!companion || base(companion.path) !== base(filename)) {
    problems.push({ message: `detection logic in ${filename} not in catalog`, line: lineOfKey(file.text, 'Filename') });
    return TRUE;
  }
  const analysis = analyzePython(companion.text, base(filename));
  problems.push(...analysis.problems);
  return analysis.cond;
}

function lineOfKey(text: string, key: string): number | undefined {
  const at = text.search(new RegExp(`^${key}:`, 'm'));
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/** The same test reached on two paths of the Python (an `if` whose body falls through) counts once. */
function dedupe(predicates: Predicate[]): Predicate[] {
  const seen = new Set<string>();
  return predicates.filter((p) => {
    const key = JSON.stringify([p.field, p.sourceField, p.op, p.values, p.all, p.negated, p.exclusion]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
