// Runs node's test runner on the compiled *.test.js files under out/test (optionally one subfolder),
// listed explicitly because Node 20 would also run every helper module under a folder named test.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join('out', 'test', process.argv[2] ?? '');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.js')) files.push(full);
  }
};
walk(root);
files.sort();
// The robustness suite (fuzzing, hostile catalogs, edit storms) runs after the unit suites; the
// real-editor suites (code-server, Neovim) come last: they install what they need on first use.
const stage = (f) => (f.split(/[\\/]/).includes('e2e') ? 2 : f.split(/[\\/]/).includes('robust') ? 1 : 0);
files.sort((a, b) => stage(a) - stage(b));
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
