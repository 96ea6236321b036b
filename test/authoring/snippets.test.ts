import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TOP_LEVEL_KEYS } from '../../server/src/analysis/validate/metadata';
import { REPO_ROOT } from '../helpers/paths';
import { findings } from './helpers';

interface Snippet { prefix: string[]; body: string[]; description: string }

function snippets(): Record<string, Snippet> {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };
  const contribution = pkg.contributes.snippets.find((s) => s.language === 'yaml');
  assert.ok(contribution, 'package.json contributes YAML snippets');
  return JSON.parse(readFileSync(path.join(REPO_ROOT, contribution.path), 'utf8')) as Record<string, Snippet>;
}

/** Expands a snippet the way VS Code does with its defaults: variables, then ${n:default} and ${n|a,b|}. */
function expand(body: string[], date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return body.join('\n')
    .replace(/\$UUID/g, randomUUID())
    .replace(/\$CURRENT_YEAR/g, String(date.getFullYear())).replace(/\$CURRENT_MONTH/g, pad(date.getMonth() + 1)).replace(/\$CURRENT_DATE/g, pad(date.getDate()))
    .replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1').replace(/\$\d+/g, '');
}

describe('snippets', () => {
  it('a new rule: fresh UUID, today\'s date, the SigmaHQ key order, and valid by the validator', () => {
    const rule = snippets()['Sigma rule'];
    assert.ok(rule);
    const body = rule.body.join('\n');
    assert.match(body, /^id: \$UUID$/m);
    assert.match(body, /^date: \$CURRENT_YEAR-\$CURRENT_MONTH-\$CURRENT_DATE$/m);
    const keys = rule.body.map((l) => /^([a-z]+):/.exec(l)?.[1]).filter((k): k is string => !!k);
    const order = keys.map((k) => (TOP_LEVEL_KEYS as readonly string[]).indexOf(k));
    assert.ok(order.every((i) => i >= 0), `only standard keys: ${keys.join(', ')}`);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `SigmaHQ order: ${keys.join(', ')}`);
    const text = expand(rule.body, new Date(2024, 1, 29));
    assert.match(text, /^date: 2024-02-29$/m);
    const errors = findings(text).filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), []);
  });

  it('a filter block named the SigmaHQ way, which the condition can exclude', () => {
    const filter = snippets()['Sigma filter block'];
    assert.ok(filter);
    const block = expand(filter.body, new Date()).replace(/\n$/, '').split('\n').map((l) => `    ${l}`).join('\n');
    assert.match(block, /^ {4}filter_main_name:\n {8}Image\|endswith: 'value'$/);
    const rule = expand(snippets()['Sigma rule']!.body, new Date()).replace('    condition: selection', `${block}\n    condition: selection and not 1 of filter_main_*`);
    assert.deepEqual(findings(rule).filter((f) => f.severity === 'error' || f.code === 'unused-selection'), []);
  });
});
