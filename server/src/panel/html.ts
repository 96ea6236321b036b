import type { PanelModel } from './model';
import type { PanelState } from './messages';

/**
 * The one page of the technique overview, for the webview and for `overview --html`: a document shell
 * with a strict CSP, the model as inert JSON, and the panel script that renders every section from it.
 * Only the way the stylesheet and script arrive differs (webview URIs, or inline for a static file).
 */
export interface PageAssets {
  /** A fresh random value per page; the only scripts and inline styles that run carry it. */
  nonce: string;
  /** The webview's resource origin (stylesheets, fonts and the script load from it); absent for a file. */
  cspSource?: string;
  styles: ({ href: string } | { text: string })[];
  script: { src: string } | { text: string };
  /** Where fonts may load from besides cspSource ('data:' for a self-contained file). */
  fontSrc?: string;
}

export interface PageOptions {
  mode: 'webview' | 'static';
  assets: PageAssets;
  state?: PanelState;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** For a double-quoted attribute whose value may hold single quotes (the CSP). */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a <script type="application/json"> element: no '<' survives, so no </script>. */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function csp(assets: PageAssets): string {
  const origin = assets.cspSource ? `${assets.cspSource} ` : '';
  const nonce = `'nonce-${assets.nonce}'`;
  return [
    "default-src 'none'",
    `style-src ${origin}${nonce}`,
    `font-src ${origin}${assets.fontSrc ?? ''}`.trim(),
    `img-src ${origin}data:`,
    `script-src ${nonce}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].filter((directive) => directive.includes(' ')).join('; ');
}

function styleTags(assets: PageAssets): string {
  return assets.styles.map((s) => 'href' in s
    ? `<link rel="stylesheet" href="${escapeHtml(s.href)}">`
    : `<style nonce="${assets.nonce}">${s.text.replace(/<\//g, '<\\/')}</style>`).join('\n');
}

function scriptTag(assets: PageAssets): string {
  const s = assets.script;
  return 'src' in s
    ? `<script nonce="${assets.nonce}" src="${escapeHtml(s.src)}"></script>`
    : `<script nonce="${assets.nonce}">${s.text.replace(/<\/script/gi, '<\\/script')}</script>`;
}

export function renderPanelHtml(model: PanelModel, options: PageOptions): string {
  const { assets } = options;
  const title = `${model.technique.id} ${model.technique.name} — Detection Lens`;
  const state: PanelState = options.state ?? { technique: model.technique.id, filter: {} };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp(assets))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${styleTags(assets)}
</head>
<body class="dl-${options.mode}" data-mode="${options.mode}">
<main id="app" aria-busy="true"><p class="dl-loading">Loading the ${escapeHtml(model.technique.id)} overview…</p></main>
<noscript>This page draws its sections with a script; enable scripts to see it.</noscript>
<script type="application/json" id="dl-model">${inertJson(model)}</script>
<script type="application/json" id="dl-state">${inertJson(state)}</script>
${scriptTag(assets)}
</body>
</html>
`;
}
