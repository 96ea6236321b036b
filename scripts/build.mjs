// Bundles the extension client, the language server and the CLI into dist/ (type-checking is tsc -b).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'server', external: [] },
  { in: 'server/src/lsp/indexWorker.ts', out: 'indexWorker', external: [] },
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
