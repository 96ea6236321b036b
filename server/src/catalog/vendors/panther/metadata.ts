/**
 * Panther metadata: ATT&CK techniques from `Reports` and platforms from `LogTypes` / `ResourceTypes`.
 */

const TECHNIQUE_ID = /\bT\d{4}(?:\.\d{3})?\b/gi;

/**
 * `Reports: {MITRE ATT&CK: ["TA0005:T1562", "TA0006:T1552.001"]}`; the corpus also has a typo'd
 * tactic (`TA003:T1556`) and one `Reports: {TA0004: [T1548]}`, so every key that is MITRE or a tactic
 * ID is read and technique IDs are taken wherever they appear in its values. CIS / Stratus Red Team
 * entries are not ATT&CK and are ignored.
 */
export function techniquesOf(reports: unknown): string[] {
  if (typeof reports !== 'object' || reports === null || Array.isArray(reports)) return [];
  const found = new Set<string>();
  for (const [key, value] of Object.entries(reports as Record<string, unknown>)) {
    if (!/mitre|^TA\d+$/i.test(key)) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item !== 'string') continue;
      for (const m of item.matchAll(TECHNIQUE_ID)) found.add(m[0].toUpperCase());
    }
  }
  return [...found];
}

/** LogTypes prefix (before the first dot) → platform; others are the lower-cased prefix. */
const PLATFORMS: Record<string, string> = {
  aws: 'aws', amazon: 'aws', azure: 'azure', microsoftgraph: 'azure', microsoft365: 'm365', microsoftintune: 'm365',
  microsoftdefenderxdr: 'windows', windows: 'windows', gcp: 'gcp', gsuite: 'google_workspace', github: 'github',
  gitlab: 'gitlab', okta: 'okta', onelogin: 'onelogin', osquery: 'endpoint', crowdstrike: 'endpoint',
  carbonblack: 'endpoint', sentinelone: 'endpoint', suricata: 'network', zeek: 'network', ciscoumbrella: 'network',
  zscaler: 'network', cloudflare: 'network', kubernetes: 'kubernetes',
};

export function platformsOf(logTypes: string[]): string[] {
  const found = new Set<string>();
  for (const logType of logTypes) {
    const prefix = logType.split('.')[0]?.toLowerCase() ?? '';
    if (prefix === '') continue;
    found.add(PLATFORMS[prefix] ?? prefix);
    // EKS audit and GKE logs are Kubernetes as much as cloud.
    if (/\.(EKS|K8s|Kubernetes)/i.test(logType) || /^GCP\.K8s/i.test(logType)) found.add('kubernetes');
  }
  return [...found];
}
