import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';
import { sentinelParser } from '../../server/src/catalog/vendors/sentinel/index';
import { corpus, corpusMissing, filesUnder } from '../helpers/paths';

const ROOT = corpus('sentinel');
const SKIP = corpusMissing('sentinel');

/** As the indexer hands files over: decoded, BOM stripped (CRLF kept). */
function read(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

function parseCorpus(rel: string): ParseOutcome {
  return sentinelParser.parse({ path: rel, absPath: path.join(ROOT, rel), text: read(path.join(ROOT, rel)), context: {} });
}

function rule(rel: string): RuleRecord {
  const outcome = parseCorpus(rel);
  assert.equal(outcome.failure, undefined);
  return outcome.rules[0] as RuleRecord;
}

/** [sourceField, op, values, negated, exclusion, all]. */
type Row = [string, string, string[], boolean, boolean, boolean];
const rows = (r: RuleRecord): Row[] => r.predicates.map((p) => [p.sourceField, p.op, p.values, p.negated, p.exclusion, p.all]);
const IFEO = ['\\REGISTRY\\MACHINE', 'Image File Execution Options'];

describe('sentinel corpus: hand-checked rules', { skip: SKIP }, () => {
  it('BitglassNewRiskyUser: =~ and has_all', () => {
    const r = rule('Solutions/Bitglass/Analytic Rules/BitglassNewRiskyUser.yaml');
    assert.equal(r.id, 'a123668c-d907-41b9-bf3f-8cb4cd7b163a');
    assert.deepEqual(r.techniques, ['T1078']);
    assert.deepEqual(rows(r), [
      ['EventType', 'eq', ['access'], false, false, false],
      ['EventResultDetails', 'match', ['Added', 'Risky Users'], false, false, true],
    ]);
  });

  it('GCPIAMPublicBucket: =~, has, in~ after extend', () => {
    const r = rule('Solutions/GoogleCloudPlatformIAM/Analytic Rules/GCPIAMPublicBucket.yaml');
    assert.deepEqual(r.platforms, ['gcp']);
    assert.deepEqual(rows(r), [
      ['PayloadMethodname', 'eq', ['google.iam.v1.IAMPolicy.SetIamPolicy'], false, false, false],
      ['ResourceType', 'match', ['bucket'], false, false, false],
      ['members', 'in', ['allUsers', 'allAuthenticatedUsers'], false, false, false],
      ['action', 'eq', ['ADD'], false, false, false],
    ]);
  });

  it('CyberArkEPMRenamedWindowsBinary: top-level != exclusion, verbatim @\'\\\', column-to-column !has gives nothing', () => {
    const r = rule('Solutions/CyberArkEPM/Analytic Rules/CyberArkEPMRenamedWindowsBinary.yaml');
    assert.deepEqual(r.techniques, ['T1204', 'T1036']);
    assert.deepEqual(rows(r), [
      ['EventSubType', 'eq', ['AttackAttempt'], true, true, false],
      ['ActingProcessName', 'match', ['\\'], false, false, false],
    ]);
  });

  it('DumpingLSASSProcessIntoaFile: Event table, escaped path, has_any; parse gives nothing', () => {
    const r = rule('Detections/SecurityEvent/DumpingLSASSProcessIntoaFile.yaml');
    assert.deepEqual(r.techniques, ['T1003.001']);
    assert.deepEqual(r.platforms, ['windows']);
    assert.deepEqual(rows(r), [
      ['EventLog', 'eq', ['Microsoft-Windows-Sysmon/Operational'], false, false, false],
      ['EventID', 'eq', ['10'], false, false, false],
      ['GrantedAccess', 'eq', ['0x1FFFFF'], false, false, false],
      ['TargetImage', 'eq', ['C:\\Windows\\System32\\lsass.exe'], false, false, false],
      ['CallTrace', 'match', ['dbghelp.dll', 'dbgcore.dll'], false, false, false],
    ]);
  });

  it('PersistViaIFEORegistryKey: union of four subqueries, !endswith exclusions, an unclosed ( reported on its line', () => {
    const r = rule('Hunting Queries/MultipleDataSources/PersistViaIFEORegistryKey.yaml');
    assert.deepEqual(r.problems, [{ message: 'unclosed parenthesis', line: 28 }]);
    assert.deepEqual(rows(r), [
      ['EventID', 'eq', ['4657'], false, false, false],
      ['ObjectName', 'match', IFEO, false, false, true],
      ['ObjectName', 'ends_with', ['Image File Execution Options'], true, true, false],
      ['EventID', 'eq', ['4657'], false, false, false],
      ['EventData', 'match', IFEO, false, false, true],
      ['ObjectName', 'match', IFEO, false, false, true],
      ['ObjectName', 'ends_with', ['Image File Execution Options'], true, true, false],
      ['Source', 'eq', ['Microsoft-Windows-Sysmon'], false, false, false],
      ['EventID', 'in', ['12', '13'], false, false, false],
      ['TargetObject', 'match', ['HKLM', 'Image File Execution Options'], false, false, true],
      ['RegistryKey', 'match', ['HKEY_LOCAL_MACHINE', 'Image File Execution Options'], false, false, true],
    ]);
  });
});

describe('sentinel corpus: every file', { skip: SKIP }, () => {
  it('parses every file without exception; >=95% of rules with a query get a predicate; tagged rules get techniques', () => {
    const counts = { files: 0, rules: 0, withPredicates: 0, tagged: 0, taggedWithTechniques: 0, withProblems: 0, skipped: 0, failed: 0 };
    const failures: string[] = [];
    for (const file of filesUnder(ROOT, '**/*.{yml,yaml}')) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      counts.files++;
      const outcome = parseCorpus(rel);
      if (outcome.skip) { counts.skipped++; continue; }
      if (outcome.failure) { counts.failed++; failures.push(`${rel}: ${outcome.failure.reason}`); continue; }
      const doc = load(read(file)) as { relevantTechniques?: unknown };
      const tagged = Array.isArray(doc.relevantTechniques) && doc.relevantTechniques.some((t) => /^\s*T\d{4}/i.test(String(t)));
      for (const r of outcome.rules) {
        counts.rules++;
        if (r.predicates.length > 0) counts.withPredicates++;
        if (r.problems.length > 0) counts.withProblems++;
        if (tagged) { counts.tagged++; if (r.techniques.length > 0) counts.taggedWithTechniques++; }
      }
    }
    console.log(`sentinel corpus: ${JSON.stringify(counts)}`);
    assert.deepEqual(failures, []);
    assert.ok(counts.rules > 1800, `only ${counts.rules} rules`);
    assert.ok(counts.withPredicates / counts.rules >= 0.95, `${counts.withPredicates}/${counts.rules} with predicates`);
    assert.equal(counts.taggedWithTechniques, counts.tagged);
  });
});
