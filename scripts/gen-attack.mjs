// Generates server/src/catalog/attack/attack-data.json, the compact ATT&CK table the catalog ships,
// from MITRE's data in ../shared/corpora/attack (v18.1 STIX index + the v18→v19 crosswalk).
// Run: npm run gen:attack. MITRE's copyright designation travels with the data, as its license asks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? join('..', 'shared', 'corpora', 'attack');
const index = JSON.parse(readFileSync(join(root, 'derived', 'enterprise-techniques-index.json'), 'utf8'));
const crosswalk = JSON.parse(readFileSync(join(root, 'derived', 'attack-v19-crosswalk.json'), 'utf8'));
const license = readFileSync(join(root, 'LICENSE.txt'), 'utf8');
const notice = /"(© \d{4} The MITRE Corporation\.[^"]*)"/.exec(license)?.[1];
if (!notice) throw new Error('MITRE copyright designation not found in LICENSE.txt');

// v19 tactic names (Defense Evasion became Stealth; Defense Impairment is new), keyed by shortname,
// with the retired `defense-evasion` shortname kept as an alias of Stealth.
const tactics = {};
for (const t of crosswalk.tactics) {
  if (t.status === 'removed') continue;
  tactics[t.shortname] = { id: t.id, name: t.name };
  if (t.old_shortname) tactics[t.old_shortname] = { id: t.id, name: t.name };
}

const v19Tactics = new Map(crosswalk.former_defense_evasion_techniques.map((t) => [t.id, t.tactics_v19]));
const renamed = new Map(crosswalk.renamed_same_id.map((t) => [t.id, t.new_name]));
const revokedInV19 = new Set(Object.keys(crosswalk.old_to_new));

const techniques = {};
for (const t of index.techniques) {
  if (t.deprecated && !t.revoked) continue;
  const tacticsOf = v19Tactics.get(t.id) ?? t.tactic_shortnames.map((s) => (s === 'defense-evasion' ? 'stealth' : s));
  techniques[t.id] = {
    name: renamed.get(t.id) ?? t.name,
    tactics: tacticsOf,
    version: revokedInV19.has(t.id) ? 'v18' : 'both',
    ...(t.revoked ? { revoked: true } : {}),
    ...(t.platforms?.length ? { platforms: t.platforms.map((p) => p.toLowerCase()) } : {}),
  };
}
for (const t of crosswalk.techniques) {
  if (t.domain !== 'enterprise') continue;
  techniques[t.new_id] = { name: t.short_name && t.is_subtechnique ? t.short_name : t.name, tactics: t.tactics_v19 ?? [], version: 'v19' };
}

const out = {
  notice,
  license: 'MITRE ATT&CK Terms of Use: royalty-free; copies must reproduce MITRE\'s copyright designation and the license (https://attack.mitre.org/resources/legal-and-branding/terms-of-use/).',
  source: `mitre/cti enterprise-attack v18.1 and the ATT&CK v19 crosswalk (${crosswalk.source?.description ?? 'derived/attack-v19-crosswalk.json'})`,
  tactics,
  techniques,
  oldToNew: crosswalk.old_to_new,
};
const target = join('server', 'src', 'catalog', 'attack', 'attack-data.json');
writeFileSync(target, JSON.stringify(out, null, 0).replace(/\},"T/g, '},\n"T') + '\n');
console.log(`wrote ${target}: ${Object.keys(techniques).length} techniques, ${Object.keys(crosswalk.old_to_new).length} crosswalk entries`);
