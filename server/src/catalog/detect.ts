import type { Vendor } from './record';

/** Extensions that may hold a rule of one of the six vendors. */
export const RULE_EXTENSIONS = ['yml', 'yaml', 'toml', 'yaral', 'py'] as const;

/** Top-level YAML keys found by a line scan, so vendor detection works even when the YAML is broken. */
function topLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  const pattern = /^([A-Za-z_][\w-]*)\s*:/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[1]) keys.add(match[1]);
    if (keys.size > 200) break;
  }
  return keys;
}

/**
 * Which vendor a file belongs to, from its extension and a cheap look at its text; undefined for a
 * file that is none of the six (a README, a workflow, a config file).
 */
export function detectVendor(relPath: string, text: string): Vendor | undefined {
  const ext = relPath.slice(relPath.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'yaral') return 'chronicle';
  if (ext === 'toml') return /^\s*\[rule\]/m.test(text) ? 'elastic' : undefined;
  if (ext === 'py') return /^def\s+(rule|policy)\s*\(/m.test(text) ? 'panther' : undefined;
  if (ext !== 'yml' && ext !== 'yaml') return undefined;
  const keys = topLevelKeys(text);
  if (keys.has('AnalysisType') || keys.has('RuleID') || keys.has('PolicyID')) return 'panther';
  if (keys.has('detection') || keys.has('correlation') || (keys.has('filter') && keys.has('logsource'))) return 'sigma';
  if (keys.has('search') && (keys.has('tags') || keys.has('how_to_implement') || keys.has('type'))) return 'splunk';
  if (keys.has('definition') && keys.has('name') && /(^|\/)macros\//.test(relPath)) return 'splunk';
  if (/(^|\/)data_sources\//.test(relPath) && keys.has('source')) return 'splunk';
  if (keys.has('query') && (keys.has('relevantTechniques') || keys.has('tactics') || keys.has('queryFrequency') || keys.has('requiredDataConnectors'))) {
    return 'sentinel';
  }
  if (keys.has('title') && keys.has('logsource')) return 'sigma';
  return undefined;
}
