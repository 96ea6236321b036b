import type { RuleRecord, Vendor } from '../record';

/** The panel's and CLI's filters; every section of an overview is computed over the filtered rules. */
export interface RuleFilter {
  vendors?: Vendor[];
  platforms?: string[];
  domains?: Domain[];
}

export type Domain = 'endpoint' | 'cloud' | 'identity' | 'network' | 'saas' | 'other';

const DOMAIN_OF_PLATFORM: Record<string, Domain> = {
  windows: 'endpoint', linux: 'endpoint', macos: 'endpoint', esxi: 'endpoint',
  aws: 'cloud', azure: 'cloud', gcp: 'cloud', kubernetes: 'cloud', containers: 'cloud', iaas: 'cloud',
  okta: 'identity', entra: 'identity', azuread: 'identity', 'identity provider': 'identity', onelogin: 'identity', duo: 'identity',
  network: 'network', zeek: 'network', firewall: 'network', dns: 'network', proxy: 'network', cisco: 'network',
  m365: 'saas', github: 'saas', gworkspace: 'saas', google_workspace: 'saas', slack: 'saas', zoom: 'saas',
  salesforce: 'saas', 'office suite': 'saas', saas: 'saas', sap: 'saas', atlassian: 'saas', '1password': 'saas',
};

export function domainsOf(record: Pick<RuleRecord, 'platforms'>): Domain[] {
  const domains = new Set<Domain>(record.platforms.map((p) => DOMAIN_OF_PLATFORM[p] ?? 'other'));
  if (domains.size === 0) domains.add('other');
  return [...domains];
}

/**
 * Does a rule pass the filter? `domains` may be given when the caller already has them (the panel
 * computes them once per rule); otherwise they come from the platforms.
 */
export function matchesFilter(
  record: Pick<RuleRecord, 'vendor' | 'platforms'> & { domains?: readonly Domain[] }, filter: RuleFilter | undefined,
): boolean {
  if (!filter) return true;
  if (filter.vendors?.length && !filter.vendors.includes(record.vendor)) return false;
  if (filter.platforms?.length && !record.platforms.some((p) => filter.platforms?.includes(p))) return false;
  if (filter.domains?.length && !(record.domains ?? domainsOf(record)).some((d) => filter.domains?.includes(d))) return false;
  return true;
}
