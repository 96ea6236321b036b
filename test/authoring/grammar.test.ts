import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { REPO_ROOT } from '../helpers/paths';

interface GrammarContribution { scopeName: string; path: string; injectTo?: string[] }

/** The grammars as package.json contributes them, so the test also checks the contribution. */
function contributions(): GrammarContribution[] {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } };
  return pkg.contributes.grammars;
}

/** YAML itself: the TextMate YAML grammar (textmate/yaml.tmbundle, as packaged by tm-grammars). */
const YAML_GRAMMAR = require.resolve('tm-grammars/grammars/yaml.json');

async function loadYaml(): Promise<IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammars = contributions();
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scopeName) => {
      const file = scopeName === 'source.yaml' ? YAML_GRAMMAR : grammars.find((g) => g.scopeName === scopeName) && path.join(REPO_ROOT, grammars.find((g) => g.scopeName === scopeName)!.path);
      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => grammars.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  assert.ok(grammar);
  return grammar;
}

interface Token { text: string; scopes: string[]; line: number }

function tokenize(grammar: IGrammar, text: string): Token[] {
  let state = INITIAL;
  const out: Token[] = [];
  text.split('\n').forEach((line, n) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    for (const t of result.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: n });
  });
  return out;
}

const RULE = `title: Wildcards * and keywords and not them
description: 'a description with and, or, not and a * star'
logsource:
    product: windows
detection:
    selection:
        Image|endswith: '\\\\whoami.exe'
        CommandLine|contains|all:
            - ' /all'
            - 'who*am?i'
            - 'literal \\* star'
            - 'backslash \\\\* then wildcard'
        Field|endswth: x
    filter_main_x:
        - User|startswith: 'NT*'
    condition: (selection or 1 of sel_*) and not all of filter_main_* # comment
references:
    - attack.t1059
tags:
    - attack.t1562.001
    - attack.stealth
    - 'detection.threat-hunting'
level: high
`;

describe('TextMate grammar injected into YAML', () => {
  let tokens: Token[];
  before(async () => {
    tokens = tokenize(await loadYaml(), RULE);
  });
  /** The scopes of the token(s) with this exact text on the line containing `lineNeedle`. */
  const scopesOf = (lineNeedle: string, text: string): string[] => {
    const line = RULE.split('\n').findIndex((l) => l.includes(lineNeedle));
    // The token with exactly this text, or else the one where the text starts (YAML splits plain keys).
    const lineText = RULE.split('\n')[line] ?? '';
    let at = 0;
    const starts = tokens.filter((t) => t.line === line).map((t) => { const s = at; at += t.text.length; return { t, s }; });
    const token = tokens.find((t) => t.line === line && t.text === text) ?? starts.find(({ t, s }) => s === lineText.indexOf(text) && t.text.length > 0)?.t;
    assert.ok(token, `no token '${text}' on the line with '${lineNeedle}': ${JSON.stringify(tokens.filter((t) => t.line === line).map((t) => t.text))}`);
    return token.scopes;
  };
  const has = (scopes: string[], scope: string) => scopes.some((s) => s === scope);

  it('is contributed as injections into source.yaml', () => {
    assert.deepEqual(contributions().map((g) => g.injectTo), [['source.yaml'], ['source.yaml']]);
  });

  it('scopes modifiers after the field name, and an unknown modifier as invalid', () => {
    assert.ok(has(scopesOf('Image|endswith', 'endswith'), 'support.function.modifier.sigma'));
    assert.ok(has(scopesOf('Image|endswith', 'Image'), 'entity.name.tag.yaml'));
    assert.ok(has(scopesOf('Image|endswith', '|'), 'punctuation.separator.modifier.sigma'));
    assert.ok(has(scopesOf('CommandLine|contains|all', 'all'), 'support.function.modifier.sigma'));
    assert.ok(has(scopesOf('Field|endswth', 'endswth'), 'invalid.illegal.modifier.sigma'));
    assert.ok(has(scopesOf('User|startswith', 'startswith'), 'support.function.modifier.sigma'), 'in a list of maps too');
  });

  it('scopes condition keywords, quantifiers, them-free patterns and selection names', () => {
    const line = 'condition: (selection';
    assert.ok(has(scopesOf(line, 'and'), 'keyword.operator.logical.sigma'));
    assert.ok(has(scopesOf(line, 'or'), 'keyword.operator.logical.sigma'));
    assert.ok(has(scopesOf(line, 'not'), 'keyword.operator.logical.not.sigma'));
    assert.ok(has(scopesOf(line, '1'), 'keyword.other.quantifier.sigma'));
    assert.ok(has(scopesOf(line, 'all'), 'keyword.other.quantifier.sigma'));
    assert.ok(has(scopesOf(line, 'of'), 'keyword.operator.of.sigma'));
    assert.ok(has(scopesOf(line, 'selection'), 'variable.other.selection.sigma'));
    assert.ok(has(scopesOf(line, 'filter_main_'), 'variable.other.selection.pattern.sigma'));
    assert.ok(has(scopesOf(line, '('), 'punctuation.section.parens.sigma'));
    assert.ok(has(scopesOf(line, '# comment'), 'comment.line.number-sign.yaml'));
  });

  it('scopes wildcards in detection values and leaves escaped ones as escapes', () => {
    assert.ok(has(scopesOf("'who*am?i'", '*'), 'keyword.operator.wildcard.sigma'));
    assert.ok(has(scopesOf("'who*am?i'", '?'), 'keyword.operator.wildcard.sigma'));
    assert.ok(has(scopesOf("'NT*'", '*'), 'keyword.operator.wildcard.sigma'));
    assert.ok(has(scopesOf('literal', '\\*'), 'constant.character.escape.wildcard.sigma'));
    assert.ok(has(scopesOf('backslash', '\\\\'), 'constant.character.escape.wildcard.sigma'), 'an escaped backslash…');
    assert.ok(has(scopesOf('backslash', '*'), 'keyword.operator.wildcard.sigma'), '…then a real wildcard');
  });

  it('scopes ATT&CK tags: namespace, technique, tactic, other namespaces', () => {
    assert.ok(has(scopesOf('attack.t1562.001', 'attack'), 'entity.name.namespace.tag.sigma'));
    assert.ok(has(scopesOf('attack.t1562.001', 't1562.001'), 'constant.other.technique.sigma'));
    assert.ok(has(scopesOf('attack.stealth', 'stealth'), 'constant.other.tactic.sigma'));
    assert.ok(has(scopesOf('detection.threat-hunting', 'threat-hunting'), 'string.unquoted.tag.sigma'));
  });

  it('leaves the rest of the YAML to the YAML grammar', () => {
    const title = tokens.filter((t) => t.line === 0);
    assert.ok(title.every((t) => !t.scopes.some((s) => s.endsWith('.sigma'))), 'no Sigma scopes in the title');
    const description = tokens.filter((t) => t.line === 1);
    assert.ok(description.every((t) => !t.scopes.some((s) => s.endsWith('.sigma'))), 'no Sigma scopes in a description');
    const reference = RULE.split('\n').findIndex((l) => l.includes('- attack.t1059'));
    assert.ok(tokens.filter((t) => t.line === reference).every((t) => !t.scopes.some((s) => s.endsWith('.sigma'))), 'tags only under tags:');
    assert.ok(has(scopesOf('level: high', 'level'), 'entity.name.tag.yaml'), 'keys after detection and tags are YAML keys again');
    assert.ok(!scopesOf('level: high', 'level').some((s) => s.startsWith('meta.')));
  });
});
