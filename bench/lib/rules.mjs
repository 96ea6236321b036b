// Real Sigma rules from the corpus copy and the places an author hovers, all found by text: ATT&CK
// tags, detection field keys, and values.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function sites(text) {
  const found = { tag: [], field: [], value: [] };
  const lines = text.split('\n');
  let offset = 0;
  let inDetection = false;
  for (const line of lines) {
    if (/^\S/.test(line)) inDetection = line.startsWith('detection:');
    const tag = /^\s*-\s*attack\.t\d{4}/.exec(line);
    if (tag) found.tag.push(positionAt(text, offset + line.indexOf('attack.t') + 8));
    if (inDetection) {
      const key = /^(\s{8,})([A-Za-z][\w.]*(?:\|[\w|]+)?):(\s*)(.*)$/.exec(line);
      if (key && key[2] && key[1]) {
        found.field.push(positionAt(text, offset + key[1].length + 1));
        if (key[4] && !key[4].startsWith('#')) found.value.push(positionAt(text, offset + key[1].length + key[2].length + 1 + (key[3]?.length ?? 0) + 1));
      }
      const item = /^(\s{12,}-\s+)(\S.*)$/.exec(line);
      if (item && item[1]) found.value.push(positionAt(text, offset + item[1].length + 1));
    }
    offset += line.length + 1;
  }
  return found;
}

/** `count` rules spread evenly over a folder, each with at least one tag, field and value to hover. */
export function pickRules(dir, count) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  const rules = [];
  const step = Math.max(1, Math.floor(files.length / (count * 2)));
  for (let i = 0; i < files.length && rules.length < count; i += step) {
    const file = path.join(dir, files[i]);
    const text = readFileSync(file, 'utf8');
    const at = sites(text);
    if (at.tag.length && at.field.length && at.value.length) rules.push({ file, uri: pathToFileURL(file).href, text, sites: at });
  }
  return rules;
}

/** The range of a rule's detection block, for code actions. */
export function detectionRange(text) {
  const start = text.indexOf('\ndetection:') + 1;
  const end = text.indexOf('\n    condition:', start);
  return { start: positionAt(text, start), end: positionAt(text, end > 0 ? end : text.length) };
}
