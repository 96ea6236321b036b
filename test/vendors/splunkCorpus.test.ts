import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome, SplunkMacro } from '../../server/src/catalog/vendors/parser';
import { loadSplunkMacros, splunkParser } from '../../server/src/catalog/vendors/splunk/index';
import { corpus, corpusMissing, filesUnder } from '../helpers/paths';

const ROOT = corpus('splunk');
const SKIP = corpusMissing('splunk');

function read(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

let macros: Map<string, SplunkMacro> | undefined;
function corpusMacros(): Map<string, SplunkMacro> {
  macros ??= loadSplunkMacros(filesUnder(path.join(ROOT, 'macros'), '**/*.{yml,yaml}').map((f) => ({ path: path.relative(ROOT, f), text: read(f) })));
  return macros;
}

function parseCorpus(rel: string): ParseOutcome {
  return splunkParser.parse({ path: rel, absPath: path.join(ROOT, rel), text: read(path.join(ROOT, rel)), context: { splunkMacros: corpusMacros() } });
}

function rule(rel: string): RuleRecord {
  const outcome = parseCorpus(rel);
  assert.equal(outcome.failure, undefined);
  return outcome.rules[0] as RuleRecord;
}

type Row = [string, string, string, string[], boolean, boolean];
const rows = (r: RuleRecord): Row[] => r.predicates.map((p) => [p.sourceField, p.field, p.op, p.values, p.negated, p.exclusion]);

describe('splunk corpus: hand-checked rules', { skip: SKIP }, () => {
  it('windows_diskshadow_proxy_execution: process macro + OR of wildcards in a tstats where', () => {
    const r = rule('detections/endpoint/windows_diskshadow_proxy_execution.yml');
    assert.equal(r.id, '58adae9e-8ea3-11ec-90f6-acde48001122');
    assert.deepEqual(r.techniques, ['T1218']);
    assert.deepEqual(r.platforms, ['windows']);
    assert.deepEqual(rows(r), [
      ['Processes.process_name', 'Image', 'eq', ['diskshadow.exe'], false, false],
      ['Processes.original_file_name', 'OriginalFileName', 'eq', ['diskshadow.exe'], false, false],
      ['Processes.process', 'CommandLine', 'contains', ['-s'], false, false],
      ['Processes.process', 'CommandLine', 'contains', ['/s'], false, false],
    ]);
  });

  it('windows_abused_web_services: sysmon macro, EventCode and an IN list with stray quotes', () => {
    const r = rule('detections/endpoint/windows_abused_web_services.yml');
    assert.deepEqual(rows(r), [
      ['EventCode', 'EventID', 'eq', ['22'], false, false],
      ['QueryName', 'QueryName', 'contains', ['pastebin', 'textbin', 'ngrok.io', 'discord', 'duckdns.org', 'pasteio.com'], false, false],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('okta_successful_single_factor_authentication: OR inside the implicit AND, | search != exclusion', () => {
    const r = rule('detections/application/okta_successful_single_factor_authentication.yml');
    assert.deepEqual(r.platforms, ['okta']);
    assert.deepEqual(rows(r), [
      ['action', 'action', 'eq', ['success'], false, false],
      ['src_user_type', 'src_user_type', 'eq', ['User'], false, false],
      ['eventType', 'okta::eventType', 'eq', ['user.authentication.verify'], false, false],
      ['eventType', 'okta::eventType', 'eq', ['user.authentication.auth_via_mfa'], false, false],
      ['targets', 'targets', 'eq', ['Okta Verify'], true, true],
    ]);
  });

  it('o365_block_user_consent_for_risky_apps_disabled: raw O365 fields, | search >=, | where like', () => {
    const r = rule('detections/cloud/o365_block_user_consent_for_risky_apps_disabled.yml');
    assert.deepEqual(r.techniques, ['T1562']);
    assert.deepEqual(rows(r), [
      ['Workload', 'm365::Workload', 'eq', ['AzureActiveDirectory'], false, false],
      ['Operation', 'm365::Operation', 'eq', ['Update authorization policy.'], false, false],
      ['index_number', 'index_number', 'ge', ['0'], false, false],
      ['AllowUserConsentForRiskyApps', 'AllowUserConsentForRiskyApps', 'contains', ['true'], false, false],
    ]);
  });

  it('windows_impair_defense_disable_realtime_signature_delivery: escaped backslashes in a registry path', () => {
    const r = rule('detections/endpoint/windows_impair_defense_disable_realtime_signature_delivery.yml');
    assert.deepEqual(r.techniques, ['T1562.001', 'T1562']);
    assert.deepEqual(rows(r), [
      ['Registry.registry_path', 'TargetObject', 'ends_with', ['\\Windows Defender\\Signature Updates\\RealtimeSignatureDelivery'], false, false],
      ['Registry.registry_value_data', 'Details', 'eq', ['0x00000000'], false, false],
    ]);
  });
});

describe('splunk corpus: every file', { skip: SKIP }, () => {
  it('parses every file without exception; >=95% of detections get a predicate; tagged rules get techniques', () => {
    const counts = { files: 0, rules: 0, withPredicates: 0, tagged: 0, taggedWithTechniques: 0, withProblems: 0, skipped: 0, failed: 0 };
    const failures: string[] = [];
    for (const file of filesUnder(ROOT, '**/*.{yml,yaml}')) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      counts.files++;
      const outcome = parseCorpus(rel);
      if (outcome.skip) { counts.skipped++; continue; }
      if (outcome.failure) { counts.failed++; failures.push(`${rel}: ${outcome.failure.reason}`); continue; }
      const doc = load(read(file)) as { tags?: { mitre_attack_id?: unknown } };
      const tagged = Array.isArray(doc.tags?.mitre_attack_id) && doc.tags.mitre_attack_id.some((t) => /^T\d{4}/i.test(String(t)));
      for (const r of outcome.rules) {
        counts.rules++;
        if (r.predicates.length > 0) counts.withPredicates++;
        if (r.problems.length > 0) counts.withProblems++;
        if (tagged) { counts.tagged++; if (r.techniques.length > 0) counts.taggedWithTechniques++; }
      }
    }
    console.log(`splunk corpus: ${JSON.stringify(counts)}`);
    assert.deepEqual(failures, []);
    assert.ok(counts.rules > 1500, `only ${counts.rules} rules`);
    assert.ok(counts.withPredicates / counts.rules >= 0.95, `${counts.withPredicates}/${counts.rules} with predicates`);
    assert.equal(counts.taggedWithTechniques, counts.tagged);
  });
});
