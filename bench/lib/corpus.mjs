// Copies of the shared corpora at 25%, 50% and 100%, in a temporary folder (never in the repository):
// the same files every run (chosen by a hash of the path), each smaller copy a subset of the next one,
// with every Splunk macro kept so the rules that use them parse the same way.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

const RULE_FILE = /\.(ya?ml|toml|yaral|py)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', 'attack', 'sigma-spec']);

function listFiles(dir, rel = '', out = []) {
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) listFiles(dir, relPath, out);
    else if (entry.isFile() && RULE_FILE.test(entry.name)) out.push(relPath);
  }
  return out;
}

/** A stable number in [0, 100) per path. */
function bucket(relPath) {
  return createHash('sha1').update(relPath).digest().readUInt32BE(0) % 100;
}

/** Panther YAML and its Python stay together; so do a rule and its folder's macros. */
function keep(relPath, percent) {
  if (/(^|\/)macros\//.test(relPath)) return true;
  return bucket(relPath.replace(/\.(ya?ml|py)$/i, '')) < percent;
}

export function prepareSubsets(source, target, percents) {
  const files = listFiles(source);
  const subsets = {};
  for (const percent of percents) {
    const dir = path.join(target, `p${percent}`);
    rmSync(dir, { recursive: true, force: true });
    let count = 0;
    for (const rel of files) {
      if (!keep(rel, percent)) continue;
      const to = path.join(dir, rel);
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(path.join(source, rel), to);
      count++;
    }
    subsets[percent] = { dir, files: count };
  }
  return subsets;
}

export function exists(p) {
  return existsSync(p) && statSync(p).isDirectory();
}
