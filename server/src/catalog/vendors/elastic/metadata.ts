/**
 * What an Elastic rule's TOML says besides its query: ATT&CK techniques from `[[rule.threat]]`,
 * platforms from `tags` and index patterns, and where the query starts in the file.
 */

type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tables(value: unknown): Table[] {
  return Array.isArray(value) ? value.filter(isTable) : [];
}

export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Technique and sub-technique ids of every MITRE ATT&CK threat entry, upper case, in order, once each. */
export function techniquesOf(rule: Table): string[] {
  const ids: string[] = [];
  for (const threat of tables(rule['threat'])) {
    if (typeof threat['framework'] === 'string' && !/att&ck/i.test(threat['framework'])) continue;
    for (const technique of tables(threat['technique'])) {
      ids.push(...strings(technique['id']));
      for (const sub of tables(technique['subtechnique'])) ids.push(...strings(sub['id']));
    }
  }
  return [...new Set(ids.map((id) => id.trim().toUpperCase()).filter((id) => /^T\d{4}(\.\d{3})?$/.test(id)))];
}

/** Tag text (after `OS: `, `Data Source: `, `Domain: `, or a bare old-style tag) → platform. */
const TAG_PLATFORMS: [RegExp, string][] = [
  [/^windows\b/i, 'windows'],
  [/^linux\b/i, 'linux'],
  [/^macos\b/i, 'macos'],
  [/^(aws|amazon)\b/i, 'aws'],
  [/^(azure|microsoft entra|entra id|microsoft graph)\b/i, 'azure'],
  [/^(gcp|google cloud)\b/i, 'gcp'],
  [/^(microsoft 365|office 365|microsoft defender for office 365)\b/i, 'm365'],
  [/^okta\b/i, 'okta'],
  [/^github\b/i, 'github'],
  [/^kubernetes\b/i, 'kubernetes'],
  [/^google workspace\b/i, 'google_workspace'],
  [/^(network|network packet capture|network traffic|zeek|suricata|pan-os|fortinet|pfsense|corelight)\b/i, 'network'],
];

/** Index pattern prefix → platform (data_stream.dataset values use the same names with a dot). */
const INDEX_PLATFORMS: [RegExp, string][] = [
  [/^(logs-)?aws[.*]/i, 'aws'],
  [/^(logs-)?azure[.*]|^logs-entityanalytics_entra_id/i, 'azure'],
  [/^(logs-)?gcp[.*]/i, 'gcp'],
  [/^(logs-)?o365[.*]/i, 'm365'],
  [/^(logs-)?okta[.*]/i, 'okta'],
  [/^(logs-)?github[.*]/i, 'github'],
  [/^(logs-)?kubernetes[.*]/i, 'kubernetes'],
  [/^(logs-)?google_workspace[.*]/i, 'google_workspace'],
  [/^winlogbeat-|^logs-windows\.|^logs-system\.security/i, 'windows'],
  [/^packetbeat-|^logs-network_traffic\.|^(logs-)?(zeek|suricata|panw|fortinet_fortigate|pfsense|corelight)[.*]/i, 'network'],
];

function match(table: [RegExp, string][], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

export function platformsOf(tags: string[], indices: string[], datasets: string[]): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    const m = /^(OS|Data Source|Domain|Platform):\s*(.+)$/i.exec(tag.trim());
    const platform = match(TAG_PLATFORMS, m ? (m[2] as string) : tag.trim());
    if (platform) found.add(platform);
  }
  for (const index of [...indices, ...datasets]) {
    const platform = match(INDEX_PLATFORMS, index.trim());
    if (platform) found.add(platform);
  }
  return [...found].sort();
}

/** Platforms that name a field namespace (`aws::eventName`); a rule of exactly one gets it as scope. */
const SCOPES = new Set(['aws', 'azure', 'gcp', 'm365', 'okta', 'github', 'kubernetes', 'google_workspace']);

export function scopeOf(platforms: string[]): string | undefined {
  const scoped = platforms.filter((p) => SCOPES.has(p));
  return scoped.length === 1 ? scoped[0] : undefined;
}

/**
 * 1-based file line of the query's first line: the `query =` key, plus one when a multi-line string
 * starts with a newline (TOML drops that newline). Falls back to 1 when the key is not found.
 */
export function queryLine(text: string): number {
  const m = /^[ \t]*query[ \t]*=[ \t]*('''|"""|'|")?(\r?\n)?/m.exec(text);
  if (!m) return 1;
  const before = text.slice(0, m.index).split('\n').length;
  return before + (m[1] && (m[1] === "'''" || m[1] === '"""') && m[2] ? 1 : 0);
}
