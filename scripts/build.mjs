// Bundles the extension client, the language server and the CLI into dist/ (type-checking is tsc -b).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server', external: [] },
  { in: 'server/src/lsp/indexWorker.ts', out: 'indexWorker', external: [] },
  { in: 'server/src/catalog/pool/parseWorker.ts', out: 'parseWorker', external: [] },
  { in: 'server/src/cli/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
];

const production = process.argv.includes('--production');
await Promise.all(
  entries
    .filter((entry) => existsSync(entry.in))
    .map((entry) =>
      build({
        entryPoints: [entry.in],
        outfile: `dist/${entry.out}.js`,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: !production,
        minify: production,
        external: entry.external,
        banner: entry.banner ? { js: entry.banner } : undefined,
        logLevel: 'warning',
      }),
    ),
);

// The overview panel: its script for the browser, and codicons copied from the npm package so the
// webview and the saved page load every icon locally (media/ is the webview's only resource root).
if (existsSync('media/src/panel.ts')) {
  await build({
    entryPoints: ['media/src/panel.ts'], outfile: 'media/build/panel.js', bundle: true, platform: 'browser',
    target: 'es2022', format: 'iife', sourcemap: false, minify: production, logLevel: 'warning',
  });
  mkdirSync('media/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `media/codicons/${file}`);
}
