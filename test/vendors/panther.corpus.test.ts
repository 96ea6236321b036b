import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RuleRecord } from '../../server/src/catalog/record';
import { pantherParser } from '../../server/src/catalog/vendors/panther/index';
import { corpus, corpusMissing, filesUnder } from '../helpers/paths';
import { rows } from './chronicleHelpers';

// The corpus holds panther-analysis YAML only: the .py files were left out (see SOURCE.txt), so
// Python rules index with metadata, techniques and a "logic not in catalog" problem.
const ROOT = corpus('panther');
const skip = corpusMissing('panther');

function one(rel: string): RuleRecord {
  const abs = path.join(ROOT, rel);
  const outcome = pantherParser.parse({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8'), context: {} });
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  const [rule] = outcome.rules;
  assert.ok(rule);
  return rule;
}

describe('panther corpus: rules checked by hand', { skip }, () => {
  it('github_repo_archived (a Simple Detection)', () => {
    const rule = one('rules/github_rules/github_repo_archived.yml');
    assert.equal(rule.id, 'Github.Repo.Archived');
    assert.equal(rule.title, 'GitHub Repository Archived');
    assert.deepEqual(rule.platforms, ['github']);
    assert.deepEqual(rule.techniques, []);
    assert.deepEqual(rows(rule), [['action', 'eq', ['repo.archived'], false, false]]);
    assert.deepEqual(rule.problems, []);
  });

  it('aws_cloudtrail_ses_enumeration (a correlation rule: techniques, no predicates)', () => {
    const rule = one('rules/aws_cloudtrail_rules/aws_cloudtrail_ses_enumeration.yml');
    assert.equal(rule.id, 'AWS.CloudTrail.SES.SESEnumeration');
    assert.equal(rule.kind, 'correlation');
    assert.deepEqual(rule.techniques, ['T1580']);
    assert.deepEqual(rule.predicates, []);
    assert.deepEqual(rule.problems, []);
  });

  it('crowdstrike_new_admin_user_created (repeated technique counted once)', () => {
    const rule = one('rules/crowdstrike_rules/event_stream_rules/crowdstrike_new_admin_user_created.yml');
    assert.equal(rule.title, 'Crowdstrike New Admin User Created');
    assert.deepEqual(rule.techniques, ['T1136.003', 'T1098.003']);
  });

  it('gcp_iam_roles_update_privilege_escalation (Reports keyed by tactic; logic in a missing .py)', () => {
    const rule = one('rules/gcp_audit_rules/gcp_iam_roles_update_privilege_escalation.yml');
    assert.equal(rule.id, 'GCP.iam.roles.update.Privilege.Escalation');
    assert.deepEqual(rule.techniques, ['T1548']);
    assert.deepEqual(rule.platforms, ['gcp']);
    assert.deepEqual(rule.problems, [{ message: 'detection logic in gcp_iam_roles_update_privilege_escalation.py not in catalog', line: 9 }]);
  });

  it('microsoft365_mfa_disabled (typo\'d tactic IDs TA003:T1556)', () => {
    const rule = one('rules/microsoft_rules/microsoft365_mfa_disabled.yml');
    assert.deepEqual(rule.techniques, ['T1556']);
  });
});

describe('panther corpus: every file', { skip }, () => {
  it('parses every YAML without exception; every rule tagged with MITRE gets techniques', () => {
    const files = filesUnder(path.join(ROOT, 'rules'), '**/*.{yml,yaml}', ROOT);
    let rules = 0;
    let withPredicates = 0;
    let withTechniques = 0;
    let skipped = 0;
    let logicMissing = 0;
    const failures: string[] = [];
    const missedTags: string[] = [];
    for (const rel of files) {
      const text = readFileSync(path.join(ROOT, rel), 'utf8');
      const outcome = pantherParser.parse({ path: rel, absPath: path.join(ROOT, rel), text, context: {} });
      if (outcome.failure) failures.push(`${rel}: ${outcome.failure.reason}`);
      if (outcome.skip) skipped++;
      for (const rule of outcome.rules) {
        rules++;
        if (rule.predicates.length > 0) withPredicates++;
        if (rule.techniques.length > 0) withTechniques++;
        if (rule.problems.some((p) => /not in catalog/.test(p.message))) logicMissing++;
        if (/^Reports:[\s\S]*?(MITRE ATT&CK:|^\s+TA\d+:)/m.test(text) && rule.techniques.length === 0) missedTags.push(rel);
      }
    }
    console.log(`panther corpus: ${files.length} files, ${rules} rules, ${withPredicates} with predicates, ` +
      `${withTechniques} with techniques, ${logicMissing} with logic in an absent .py, ${skipped} skipped, ${failures.length} failures`);
    assert.deepEqual(failures, []);
    assert.ok(rules >= 870, `only ${rules} rules`);
    assert.deepEqual(missedTags, []);
    assert.ok(withTechniques >= 600, `only ${withTechniques} with techniques`);
  });
});
