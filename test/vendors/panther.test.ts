import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { canonicalField } from '../../server/src/catalog/normalize/fields';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';
import { pantherParser } from '../../server/src/catalog/vendors/panther/index';
import { fixture } from '../helpers/paths';
import { rows } from './chronicleHelpers';

/** Parses a fixture YAML, handing over the .py beside it the way the indexer does. */
function parseFixture(rel: string, withPython = true): ParseOutcome {
  const yml = fixture('panther', rel);
  const py = yml.replace(/\.yml$/, '.py');
  const companion = withPython && existsSync(py) ? { path: path.basename(py), text: readFileSync(py, 'utf8') } : undefined;
  return pantherParser.parse({ path: rel, absPath: yml, text: readFileSync(yml, 'utf8'), context: {}, ...(companion ? { companion } : {}) });
}

function rule(rel: string, withPython = true): RuleRecord {
  const outcome = parseFixture(rel, withPython);
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  const [record] = outcome.rules;
  assert.ok(record, `no rule in ${rel}`);
  return record;
}

describe('panther python: guards, deep_get, helpers', () => {
  const r = rule('aws_cloudtrail_rules/aws_console_root_login.yml');

  it('reads the metadata', () => {
    assert.equal(r.id, 'AWS.Console.RootLogin');
    assert.equal(r.title, 'Root Console Login');
    assert.deepEqual(r.techniques, ['T1078', 'T1078.004']);
    assert.deepEqual(r.platforms, ['aws']);
    assert.equal(r.language, 'python');
  });

  it('turns a `!=` guard into a positive requirement and deep_get into a dotted field', () => {
    assert.deepEqual(rows(r), [
      ['eventType', 'eq', ['AwsConsoleSignIn'], false, false],
      ['eventName', 'eq', ['ConsoleLogin'], false, false],
      ['userIdentity.type', 'eq', ['Root'], false, false],
      ['responseElements.ConsoleLogin', 'eq', ['Success'], false, false],
    ]);
    for (const p of r.predicates) assert.equal(p.field, canonicalField('panther', p.sourceField, 'aws'));
  });

  it('reports an imported helper in rule() with its line, not as a failure', () => {
    assert.deepEqual(r.problems, [{ message: 'aws_console_root_login.py line 11: helper is_ip_in_network() not visible to the catalog', line: 11 }]);
  });

  it('without the .py, keeps metadata and techniques and says where the logic is', () => {
    const bare = rule('aws_cloudtrail_rules/aws_console_root_login.yml', false);
    assert.deepEqual(bare.techniques, ['T1078', 'T1078.004']);
    assert.deepEqual(bare.predicates, []);
    assert.deepEqual(bare.problems, [{ message: 'detection logic in aws_console_root_login.py not in catalog', line: 2 }]);
  });
});

describe('panther python: constructs', () => {
  it('not in module set (guard), event.deep_get exclusion, contains on a .lower() local', () => {
    assert.deepEqual(rows(rule('okta_rules/okta_admin_role_assigned.yml')), [
      ['eventType', 'in', ['user.account.privilege.grant', 'group.privilege.grant'], false, false],
      ['actor.alternateId', 'in', ['svc-okta-provisioner@example.com', 'svc-scim@example.com'], true, true],
      ['outcome.result', 'eq', ['SUCCESS'], false, false],
      ['debugContext.debugData.privilegeGranted', 'contains', ['admin'], false, false],
    ]);
  });

  it('`if x: return True` chains, tuple constants, `not field` inside an or', () => {
    const r = rule('github_rules/github_branch_protection_disabled.yml');
    assert.deepEqual(rows(r), [
      ['action', 'in', ['protected_branch.destroy', 'protected_branch.policy_override'], false, false],
      ['action', 'eq', ['protected_branch.update'], false, false],
      ['required_status_checks', 'is_not_null', [], true, false],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('event.udm, endswith/startswith with tuples, any(… for …), compiled regex, escapes', () => {
    const r = rule('crowdstrike_rules/crowdstrike_lolbas_download.yml');
    assert.deepEqual(rows(r), [
      ['event_simpleName', 'eq', ['ProcessRollup2'], false, false],
      ['process_name', 'ends_with', ['\\certutil.exe', '\\bitsadmin.exe'], false, false],
      ['process_name', 'starts_with', ['C:\\Program Files\\'], true, true],
      ['cmd', 'contains', ['-urlcache', '/transfer', 'downloadfile('], false, false],
      ['cmd', 'regex_match', ['https?://[^\\s]+\\.(?:exe|dll|ps1)'], false, false],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it('inlines a same-file helper, deep_get(event, …), str() wrapper, any() over a set', () => {
    assert.deepEqual(rows(rule('gcp_audit_rules/gcp_iam_sensitive_role_granted.yml')), [
      ['protoPayload.methodName', 'ends_with', ['setIamPolicy'], false, false],
      ['protoPayload.authenticationInfo.principalEmail', 'ends_with', ['.iam.gserviceaccount.com'], true, true],
      ['protoPayload.authenticationInfo.principalEmail', 'starts_with', ['terraform@'], true, true],
      ['severity', 'eq', ['ERROR'], true, true],
      ['protoPayload.serviceData.policyDelta.bindingDeltas', 'contains', ['roles/owner', 'roles/editor'], false, false],
    ]);
  });

  it('subscripts, list literals, if/elif, `is None` guard inside a branch, >', () => {
    const r = rule('gsuite_reports_rules/gsuite_drive_visibility_changed.yml');
    assert.deepEqual(rows(r), [
      ['id.applicationName', 'eq', ['drive'], false, false],
      ['name', 'in', ['change_user_access', 'change_document_visibility'], false, false],
      ['parameters.visibility', 'is_null', [], true, false],
      ['parameters.visibility', 'in', ['people_with_link', 'public_on_the_web'], false, false],
      ['name', 'eq', ['change_acl_editors'], false, false],
      ['parameters.target_user_count', 'gt', ['10'], false, false],
    ]);
    assert.deepEqual(r.platforms, ['google_workspace']);
  });

  it('policy(resource) with `x or {}` locals and `is True`', () => {
    const r = rule('policies/aws_s3_bucket_public_access_blocked.yml');
    assert.equal(r.id, 'AWS.S3.Bucket.PublicAccessBlocked');
    assert.deepEqual(r.platforms, ['aws']);
    assert.deepEqual(rows(r), [
      ['PublicAccessBlockConfiguration.BlockPublicAcls', 'eq', ['true'], false, false],
      ['PublicAccessBlockConfiguration.RestrictPublicBuckets', 'eq', ['true'], false, false],
    ]);
  });
});

describe('panther simple detections (YAML Detection:)', () => {
  it('KeyPath/DeepKey/Key, IsIn, Any, None, AnyElement, IsNotNullOrEmpty', () => {
    const r = rule('okta_rules/okta_mfa_factor_reset.yml');
    assert.deepEqual(r.techniques, ['T1556.006']);
    assert.deepEqual(rows(r), [
      ['eventType', 'in', ['user.mfa.factor.deactivate', 'user.mfa.factor.reset_all'], false, false],
      ['outcome.result', 'eq', ['SUCCESS'], false, false],
      ['severity', 'eq', ['WARN'], false, false],
      ['debugContext.debugData.behaviors', 'contains', ['New Geo-Location=POSITIVE'], false, false],
      ['actor.alternateId', 'ends_with', ['@svc.example.com'], true, true],
      ['target.type', 'eq', ['User'], false, false],
      ['client.ipAddress', 'is_not_null', [], false, false],
    ]);
    assert.deepEqual(r.problems, []);
  });
});

describe('panther: files that are not detections, and hostile input', () => {
  it('skips global helpers and data models with a reason', () => {
    assert.match(parseFixture('global_helpers/panther_example_helpers.yml').skip ?? '', /global/);
    assert.match(parseFixture('data_models/okta_data_model.yml').skip ?? '', /datamodel/);
  });

  it('fails broken YAML with a line instead of throwing', () => {
    const outcome = pantherParser.parse({ path: 'x.yml', absPath: '/v/x.yml', text: 'AnalysisType: rule\nRuleID: [unclosed\n', context: {} });
    assert.ok(outcome.failure);
  });

  const parsePy = (py: string): RuleRecord => {
    const text = 'AnalysisType: rule\nFilename: r.py\nRuleID: T.R\nLogTypes: [AWS.CloudTrail]\n';
    const outcome = pantherParser.parse({ path: 'r.yml', absPath: '/v/r.yml', text, context: {}, companion: { path: 'r.py', text: py } });
    const [record] = outcome.rules;
    assert.ok(record, JSON.stringify(outcome));
    return record;
  };

  it('survives deeply nested Python and self-recursive helpers', () => {
    const deep = `def rule(event):\n    return ${'('.repeat(3000)}event.get("a") == "b"${')'.repeat(3000)}\n`;
    assert.ok(parsePy(deep));
    const recursive = 'def check(event):\n    return check(event)\n\ndef rule(event):\n    return check(event)\n';
    assert.ok(parsePy(recursive));
  });

  it('says when the Python has no rule() function', () => {
    assert.match(parsePy('def title(event):\n    return "x"\n').problems[0]?.message ?? '', /no rule\(\) or policy\(\)/);
  });

  it('stays bounded on many fall-through ifs', () => {
    // Each body may return but can also fall through, so the statements after it are evaluated twice.
    const ifs = Array.from({ length: 40 }, (_, i) => `    if event.get("f${i}") == "v":\n        if event.get("g${i}"):\n            return True\n`).join('');
    const started = Date.now();
    const r = parsePy(`def rule(event):\n${ifs}    return event.get("z") == "q"\n`);
    assert.ok(Date.now() - started < 5000);
    assert.match(r.problems[0]?.message ?? '', /too branched/);
    // An `if` that only sets a local does not branch the result at all.
    const quiet = Array.from({ length: 40 }, (_, i) => `    if event.get("f${i}") == "v":\n        x = ${i}\n`).join('');
    assert.deepEqual(rows(parsePy(`def rule(event):\n${quiet}    return event.get("z") == "q"\n`)), [['z', 'eq', ['q'], false, false]]);
  });
});
