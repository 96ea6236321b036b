import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';
import { corpus, corpusMissing } from '../helpers/paths';
import { onlyRule, parseFile, rows } from './elasticHelpers';

const ROOT = corpus('elastic');
const skip = corpusMissing('elastic');

const real = (rel: string): RuleRecord => onlyRule(parseFile(path.join(ROOT, rel), rel));

/** Predicates of real rules, checked by hand against each rule's query. */
describe('real Elastic rules, checked by hand', { skip }, () => {
  it('KQL: Okta session started via proxy', () => {
    const rule = real('rules/integrations/okta/initial_access_first_occurrence_user_session_started_via_proxy.toml');
    assert.equal(rule.language, 'kql');
    assert.deepEqual(rule.techniques, ['T1078', 'T1078.004', 'T1133']);
    assert.deepEqual(rule.platforms, ['okta']);
    assert.deepEqual(rows(rule.predicates), [
      ['data_stream.dataset', 'eq', ['okta.system']],
      ['okta.event_type', 'in', ['user.session.start', 'user.authentication.verify', 'user.authentication.sso', 'user.authentication.auth_via_mfa']],
      ['okta.security_context.is_proxy', 'eq', ['true']],
      ['okta.actor.id', 'starts_with', ['okta'], 'neg,excl'],
    ]);
  });

  it('EQL: AWS RDS snapshot deleted (any where, stringContains, exclusion group)', () => {
    const rule = real('rules/integrations/aws/impact_rds_snapshot_deleted.toml');
    assert.equal(rule.language, 'eql');
    assert.deepEqual(rule.platforms, ['aws']);
    assert.deepEqual(rows(rule.predicates), [
      ['data_stream.dataset', 'eq', ['aws.cloudtrail']],
      ['event.provider', 'eq', ['rds.amazonaws.com']],
      ['event.outcome', 'eq', ['success']],
      ['event.action', 'in', ['DeleteDBSnapshot', 'DeleteDBClusterSnapshot']],
      ['event.action', 'eq', ['ModifyDBInstance']],
      ['aws.cloudtrail.request_parameters', 'contains', ['backupRetentionPeriod=0']],
      ['user_agent.original', 'eq', ['backup.amazonaws.com'], 'neg,excl'],
      ['source.address', 'eq', ['backup.amazonaws.com'], 'neg,excl'],
    ]);
  });

  it('EQL: TelemetryController scheduled task hijack (wildcard, excluded list)', () => {
    const rule = real('rules/windows/persistence_via_telemetrycontroller_scheduledtask_hijack.toml');
    assert.deepEqual(rule.techniques, ['T1053', 'T1053.005', 'T1574']);
    assert.deepEqual(rows(rule.predicates), [
      ['host.os.type', 'eq', ['windows']],
      ['event.type', 'eq', ['start']],
      ['process.parent.name', 'eq', ['CompatTelRunner.exe']],
      ['process.args', 'starts_with', ['-cv']],
      ['process.name', 'in', ['conhost.exe', 'DeviceCensus.exe', 'CompatTelRunner.exe', 'DismHost.exe', 'rundll32.exe', 'powershell.exe'], 'neg,excl'],
    ]);
  });

  it('EQL: LSASS handle via MalSecLogon (escapes, ? wildcard, comments)', () => {
    const rule = real('rules/windows/credential_access_lsass_handle_via_malseclogon.toml');
    assert.deepEqual(rows(rule.predicates), [
      ['host.os.type', 'eq', ['windows']],
      ['event.code', 'eq', ['10']],
      ['winlog.event_data.TargetImage', 'wildcard', ['?:\\WINDOWS\\system32\\lsass.exe']],
      ['winlog.event_data.CallTrace', 'contains', ['seclogon.dll']],
      ['process.name', 'eq', ['svchost.exe']],
      ['winlog.event_data.GrantedAccess', 'eq', ['0x14c0']],
    ]);
  });

  it('EQL sequence: mshta network connection (deprecated)', () => {
    const rule = real('rules/_deprecated/defense_evasion_mshta_making_network_connections.toml');
    assert.equal(rule.deprecated, true);
    assert.deepEqual(rows(rule.predicates), [
      ['process.name', 'eq', ['mshta.exe']],
      ['event.type', 'eq', ['start']],
      ['process.name', 'eq', ['mshta.exe']],
    ]);
  });

  it('ES|QL: Okta password spray (computed STATS/EVAL columns give nothing)', () => {
    const rule = real('rules/integrations/okta/credential_access_okta_password_spray_single_source.toml');
    assert.equal(rule.language, 'esql');
    assert.deepEqual(rule.techniques, ['T1110', 'T1110.003']);
    assert.deepEqual(rows(rule.predicates), [
      ['data_stream.dataset', 'eq', ['okta.system']],
      ['event.action', 'starts_with', ['user.authentication.']],
      ['event.action', 'eq', ['user.session.start']],
      ['okta.outcome.reason', 'in', ['INVALID_CREDENTIALS', 'LOCKED_OUT']],
      ['okta.actor.alternate_id', 'is_not_null', []],
    ]);
  });

  it('ES|QL: audit policy sub-category disabled (INLINE STATS, MV_CONTAINS on a computed column)', () => {
    const rule = real('rules/windows/defense_evasion_audit_policy_disabled_winlog.toml');
    assert.deepEqual(rule.platforms, ['windows']);
    assert.deepEqual(rows(rule.predicates), [
      ['host.os.type', 'eq', ['windows']],
      ['event.code', 'eq', ['4719']],
      ['winlog.event_data.AuditPolicyChangesDescription', 'in', ['Success removed', 'Success Added']],
      ['winlog.event_data.SubCategory', 'in', ['Logon', 'Audit Policy Change', 'Process Creation', 'Other System Events', 'Security Group Management', 'User Account Management']],
      ['winlog.event_data.AuditPolicyChangesDescription', 'eq', ['Success removed']],
    ]);
    assert.deepEqual(rule.problems, []);
  });

  it('Lucene: setgid bit set via chmod (lower-case or, regex, AND NOT)', () => {
    const rule = real('rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml');
    assert.equal(rule.language, 'lucene');
    assert.deepEqual(rule.techniques, ['T1548', 'T1548.001']);
    assert.deepEqual(rows(rule.predicates), [
      ['event.category', 'eq', ['process']],
      ['event.type', 'in', ['start', 'process_started']],
      ['process.name', 'eq', ['chmod']],
      ['process.args', 'eq', ['g+s']],
      ['process.args', 'regex_match', ['2[0-9]{3}']],
      ['user.name', 'eq', ['root'], 'neg,excl'],
    ]);
  });
});

function tomlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) tomlFiles(full, out);
    else if (name.endsWith('.toml')) out.push(full);
  }
  return out;
}

interface Counts {
  files: number;
  rules: number;
  failures: number;
  withQuery: number;
  withPredicates: number;
  tagged: number;
  taggedWithTechniques: number;
  machineLearning: number;
  machineLearningExpected: number;
  withProblems: number;
  byLanguage: Record<string, { rules: number; withPredicates: number }>;
}

describe('the whole Elastic corpus', { skip }, () => {
  it('parses every file; predicates for ≥95% of query rules; techniques for every tagged rule', () => {
    const counts: Counts = {
      files: 0, rules: 0, failures: 0, withQuery: 0, withPredicates: 0, tagged: 0, taggedWithTechniques: 0,
      machineLearning: 0, machineLearningExpected: 0, withProblems: 0, byLanguage: {},
    };
    const start = Date.now();
    for (const file of tomlFiles(ROOT)) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      const text = readFileSync(file, 'utf8');
      counts.files++;
      let outcome: ParseOutcome | undefined;
      assert.doesNotThrow(() => {
        outcome = parseFile(file, rel);
      }, rel);
      if (!outcome || outcome.failure) {
        counts.failures++;
        continue;
      }
      // Independent of the parser: what the raw text says the rule is.
      const hasQuery = /^query\s*=/m.test(text);
      const tagged = /^\s*\[\[rule\.threat\.technique\]\]/m.test(text);
      if (/^type\s*=\s*"machine_learning"/m.test(text)) counts.machineLearningExpected++;
      for (const rule of outcome.rules) {
        counts.rules++;
        const lang = (counts.byLanguage[rule.kind === 'machine_learning' ? 'ml' : rule.language] ??= { rules: 0, withPredicates: 0 });
        lang.rules++;
        if (rule.predicates.length > 0) lang.withPredicates++;
        if (rule.kind === 'machine_learning') counts.machineLearning++;
        if (rule.problems.length > 0) counts.withProblems++;
        if (hasQuery) {
          counts.withQuery++;
          if (rule.predicates.length > 0) counts.withPredicates++;
        }
        if (tagged) {
          counts.tagged++;
          if (rule.techniques.length > 0) counts.taggedWithTechniques++;
          else assert.fail(`${rel} is tagged but has no techniques`);
        }
      }
    }
    console.log(`Elastic corpus (${Date.now() - start} ms):`, JSON.stringify(counts, null, 1));
    assert.ok(counts.files > 0);
    assert.equal(counts.failures, 0);
    assert.ok(counts.withPredicates / counts.withQuery >= 0.95, `${counts.withPredicates}/${counts.withQuery} query rules with predicates`);
    assert.equal(counts.taggedWithTechniques, counts.tagged);
    assert.equal(counts.machineLearning, counts.machineLearningExpected);
  });
});
