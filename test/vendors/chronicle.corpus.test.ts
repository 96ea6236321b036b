import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RuleRecord } from '../../server/src/catalog/record';
import { chronicleParser } from '../../server/src/catalog/vendors/chronicle/index';
import { corpus, corpusMissing, filesUnder } from '../helpers/paths';
import { rows } from './chronicleHelpers';

const ROOT = corpus('chronicle');
const skip = corpusMissing('chronicle');

function parseCorpusFile(rel: string): RuleRecord[] {
  const abs = path.join(ROOT, rel);
  const outcome = chronicleParser.parse({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8'), context: {} });
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  return outcome.rules;
}

function one(rel: string): RuleRecord {
  const [rule] = parseCorpusFile(rel);
  assert.ok(rule);
  return rule;
}

describe('chronicle corpus: rules checked by hand', { skip }, () => {
  it('aws_account_leaving_or_removed_from_organization', () => {
    const rule = one('rules/community/aws/cloudtrail/aws_account_leaving_or_removed_from_organization.yaral');
    assert.equal(rule.id, 'mr_eb9b7a74-0ad2-43e1-bf93-376844fe62b6');
    assert.equal(rule.title, 'AWS Account Leaving Or Removed From The Organization');
    assert.deepEqual(rule.techniques, ['T1562']);
    assert.deepEqual(rule.platforms, ['aws']);
    assert.deepEqual(rows(rule), [
      ['metadata.vendor_name', 'eq', ['AMAZON'], false, false],
      ['metadata.product_name', 'eq', ['AWS CloudTrail'], false, false],
      ['metadata.product_event_type', 'eq', ['LeaveOrganization'], false, false],
      ['metadata.product_event_type', 'eq', ['RemoveAccountFromOrganization'], false, false],
    ]);
  });

  it('base64_encoded_powershell_command_detected (strings.contains over strings.to_lower)', () => {
    const rule = one('rules/community/microsoft/windows/base64_encoded_powershell_command_detected.yaral');
    assert.equal(rule.title, 'Base64 Encoded PowerShell Command Detected');
    assert.deepEqual(rule.techniques, ['T1059.001']);
    assert.deepEqual(rows(rule), [
      ['metadata.event_type', 'eq', ['PROCESS_LAUNCH'], false, false],
      ['target.process.command_line', 'contains', ['::frombase64string('], false, false],
    ]);
  });

  it('mitre_attack_T1570_suspicious_command_psexec (re.regex … nocase)', () => {
    const rule = one('rules/community/microsoft/windows/mitre_attack_T1570_suspicious_command_psexec.yaral');
    assert.deepEqual(rule.techniques, ['T1570']);
    assert.deepEqual(rows(rule), [
      ['metadata.event_type', 'eq', ['PROCESS_LAUNCH'], false, false],
      ['principal.process.command_line', 'regex_match', ['psexec'], false, false],
    ]);
  });

  it('o365_login_activity_to_uncommon_mscloud_apps (NOT … in %list, != /re/ nocase)', () => {
    const rule = one('rules/community/microsoft/o365/o365_login_activity_to_uncommon_mscloud_apps.yaral');
    assert.deepEqual(rule.techniques, ['T1078.004']);
    assert.deepEqual(rule.platforms, ['azure']);
    assert.deepEqual(rows(rule), [
      ['metadata.event_type', 'eq', ['USER_LOGIN'], false, false],
      ['metadata.product_event_type', 'eq', ['UserLoggedIn'], false, false],
      ['metadata.product_name', 'eq', ['Office 365'], false, false],
      ['target.resource.product_object_id', 'in', ['%first_party_ms_cloud_apps'], true, true],
      ['metadata.vendor_name', 'eq', ['Microsoft'], false, false],
      ['security_result.action', 'eq', ['ALLOW'], false, false],
      ['target.user.userid', 'regex_match', ['Sync_'], true, true],
    ]);
  });

  it('certutil_encode (deprecated SOC Prime one-line events)', () => {
    const rule = one('rules/_deprecated/soc_prime_rules/threat_hunting/process_creation/certutil_encode.yaral');
    assert.equal(rule.deprecated, true);
    assert.deepEqual(rule.techniques, []);
    assert.deepEqual(rule.platforms, ['windows']);
    assert.deepEqual(rows(rule), [
      ['target.process.command_line', 'regex_match', ['certutil -f -encode .*'], false, false],
      ['target.process.command_line', 'regex_match', ['certutil\\.exe -f -encode .*'], false, false],
      ['target.process.command_line', 'regex_match', ['certutil -encode -f .*'], false, false],
      ['target.process.command_line', 'regex_match', ['certutil\\.exe -encode -f .*'], false, false],
      ['metadata.product_event_type', 'eq', ['4688'], false, false],
      ['metadata.product_event_type', 'eq', ['1'], false, false],
    ]);
  });
});

describe('chronicle corpus: every file', { skip }, () => {
  it('parses every rule without exception; ≥95% get predicates; every rule with a technique ID gets it', () => {
    const files = filesUnder(path.join(ROOT, 'rules'), '**/*.yaral', ROOT);
    let rules = 0;
    let withPredicates = 0;
    let withTechniques = 0;
    let problems = 0;
    const failures: string[] = [];
    const missedTags: string[] = [];
    for (const rel of files) {
      const text = readFileSync(path.join(ROOT, rel), 'utf8');
      const outcome = chronicleParser.parse({ path: rel, absPath: path.join(ROOT, rel), text, context: {} });
      if (outcome.failure) failures.push(`${rel}: ${outcome.failure.reason}`);
      for (const rule of outcome.rules) {
        rules++;
        if (rule.predicates.length > 0) withPredicates++;
        if (rule.techniques.length > 0) withTechniques++;
        problems += rule.problems.length;
      }
      // A technique ID in a tag (meta or the outcome's technique_id) must come through.
      const tagged = /^\s*(technique|mitre|mitre_attack_url|\$mitre_attack_technique_id)\s*=.*\bT\d{4}/im.test(text);
      if (tagged && outcome.rules.every((r) => r.techniques.length === 0)) missedTags.push(rel);
    }
    console.log(`chronicle corpus: ${files.length} files, ${rules} rules, ${withPredicates} with predicates, ` +
      `${withTechniques} with techniques, ${failures.length} failures, ${problems} problems`);
    assert.deepEqual(failures, []);
    assert.ok(rules >= 880, `only ${rules} rules`);
    assert.ok(withPredicates / rules >= 0.95, `${withPredicates}/${rules} with predicates`);
    assert.deepEqual(missedTags, []);
  });
});
