import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inertJson, renderPanelHtml } from '../../server/src/panel/html';
import { parseHostMessage, parsePanelState, parseWebviewMessage } from '../../server/src/panel/messages';
import type { PanelModel } from '../../server/src/panel/model';

const HOSTILE = '</script><img src=x onerror=alert(1)><!-- [x](command:workbench.action.quit) \u2028';

function model(title: string): PanelModel {
  return {
    schema: 1, technique: { id: 'T1562', name: 'Impair Defenses', tactics: ['Stealth'], equivalents: [] }, catalogRules: 1, noisyReach: 2,
    events: [], reach: {}, options: { vendors: [], platforms: [], domains: [] },
    rules: [{ vendor: 'sigma', id: 'x', title, path: 'x.yml', techniques: ['T1562'], platforms: [], domains: ['other'], events: [], predicates: [], order: 0 }],
  };
}

describe('panel page document', () => {
  const html = renderPanelHtml(model(HOSTILE), { mode: 'static', assets: { nonce: 'abc123', styles: [{ text: 'body{}' }], script: { text: 'void 0' } } });

  it('has a strict CSP: nothing by default, scripts only by nonce', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal((html.match(/<script nonce="abc123">/g) ?? []).length, 1);
  });

  it('embeds rule strings only inside inert JSON, with no "<" left to close the element', () => {
    assert.equal(html.split('</script>').length - 1, 3, 'the two JSON elements and the script close themselves, nothing else does');
    assert.ok(!html.includes('<img'), 'no markup from the rule');
    const json = /<script type="application\/json" id="dl-model">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(json);
    assert.equal((JSON.parse(json) as PanelModel).rules[0]?.title, HOSTILE, 'the title round-trips exactly');
    assert.ok(!inertJson({ a: '<' }).includes('<'));
  });

  it('validates webview messages: known shapes pass, anything else is dropped', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openRule', file: '/r/x.yml', line: 3 }), { type: 'openRule', file: '/r/x.yml', line: 3 });
    assert.equal(parseWebviewMessage({ type: 'openRule', file: '/r/x.yml', line: 0 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'openRule', file: 42, line: 1 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'addExclusion', field: 'Image', op: 'exec', value: 'x' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'addExclusion', field: 'Image', op: 'ends_with', value: '\\x.exe' }), { type: 'addExclusion', field: 'Image', op: 'ends_with', value: '\\x.exe' });
    assert.equal(parseWebviewMessage({ type: 'openTechnique', technique: 'javascript:alert(1)' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'filterChanged', filter: { vendors: [{}] } }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'x' }), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
    assert.equal(parseHostMessage({ type: 'model', model: { schema: 2 } }), undefined);
    assert.deepEqual(parsePanelState({ technique: 'T1562', filter: { vendors: ['sigma'] } }), { technique: 'T1562', filter: { vendors: ['sigma'], platforms: [], domains: [] } });
    assert.equal(parsePanelState({ technique: '<b>', filter: {} }), undefined);
  });
});
