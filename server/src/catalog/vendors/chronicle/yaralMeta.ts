import type { Token } from './yaralLexer';
import { metaValue, type MetaEntry } from './yaralRules';

/**
 * ATT&CK technique tags, in every spelling the chronicle/detection-rules corpus uses (grep of
 * rules/**, Dec 2025 snapshot):
 * - meta `technique = "T1550.001"` (community rules, with `tactic = "TA0008"`);
 * - meta `mitre_attack_technique = "Valid Accounts: Cloud Accounts"` (a name, no ID) next to
 *   `mitre_attack_url = "https://attack.mitre.org/techniques/T1078/004/"` (also `…/versions/v14/techniques/…`,
 *   with or without the trailing slash) — the ID is taken from the URL;
 * - outcome `$mitre_attack_technique_id = "T1562"` and `= array_distinct("T1566")`;
 * - deprecated SOC Prime meta `mitre = "command_and_control, t1043"` (lower case, several per value,
 *   mixed with tactic names, software IDs `s0039` and CAR IDs `car.2013-05-009`, which are ignored);
 * - any other meta key naming a technique (`technique_id`, `mitre_attack_technique_id`) holding an ID.
 * Technique names alone (no URL, no ID) are not translated: none in the corpus lacks an ID elsewhere.
 */

const TECHNIQUE_ID = /\bT\d{4}(?:\.\d{3})?\b/gi;
const URL_ID = /techniques\/(T\d{4})(?:\/(\d{3}))?/i;

export function techniquesOf(meta: MetaEntry[], outcome: Token[] | undefined): string[] {
  const found = new Set<string>();
  const addAll = (text: string): void => {
    for (const m of text.matchAll(TECHNIQUE_ID)) found.add(m[0].toUpperCase());
  };
  for (const entry of meta) {
    const key = entry.key.toLowerCase();
    if (key === 'mitre_attack_url') {
      const m = URL_ID.exec(entry.value);
      if (m?.[1]) found.add((m[2] ? `${m[1]}.${m[2]}` : m[1]).toUpperCase());
    } else if (key === 'mitre' || key.includes('technique')) {
      addAll(entry.value);
    }
  }
  for (const text of outcomeTechniqueStrings(outcome ?? [])) addAll(text);
  return [...found];
}

/** String literals on the line of an outcome `$mitre_attack_technique_id = …` assignment. */
function outcomeTechniqueStrings(outcome: Token[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < outcome.length; i++) {
    const t = outcome[i] as Token;
    if (t.kind !== 'var' || !/technique_id$/i.test(t.text)) continue;
    for (let j = i + 1; j < outcome.length && (outcome[j] as Token).line === t.line; j++) {
      const v = outcome[j] as Token;
      if (v.kind === 'string') values.push(v.text);
    }
  }
  return values;
}

/** Platform words of meta `platform`, SOC Prime `product`, and the folder names of the corpus. */
const PLATFORM_WORDS: Record<string, string> = {
  windows: 'windows', linux: 'linux', macos: 'macos', osx: 'macos',
  aws: 'aws', azure: 'azure', entra_id: 'azure', graph_activity: 'azure', adfs: 'windows',
  gcp: 'gcp', 'google cloud': 'gcp', 'google workspace': 'google_workspace', workspace: 'google_workspace',
  github: 'github', okta: 'okta', onelogin: 'onelogin', o365: 'm365', sharepoint: 'm365',
  network: 'network', proxy: 'network', dns: 'network', webserver: 'web',
};

export function platformsOf(meta: MetaEntry[], path: string): string[] {
  const found = new Set<string>();
  const words = [metaValue(meta, 'platform'), metaValue(meta, 'product')]
    .filter((v): v is string => v !== undefined)
    .flatMap((v) => v.split(','))
    .map((w) => w.trim().toLowerCase());
  for (const word of words) {
    const platform = PLATFORM_WORDS[word];
    if (platform) found.add(platform);
  }
  if (found.size === 0) {
    for (const segment of path.toLowerCase().split('/').slice(0, -1)) {
      const platform = PLATFORM_WORDS[segment];
      if (platform) found.add(platform);
    }
  }
  return [...found];
}
