/**
 * The six public rule repositories the "Download Public Rule Catalogs" command clones, with the
 * folders that hold rules (sparse checkout patterns, gitignore style: `*` is one path component).
 * The README lists the same repositories and their licenses.
 */
export interface CatalogSource {
  id: 'sigma' | 'elastic' | 'splunk' | 'sentinel' | 'chronicle' | 'panther';
  name: string;
  url: string;
  license: string;
  /** Folders checked out; everything else in the repository stays on the server. */
  folders: string[];
}

export const PUBLIC_SOURCES: readonly CatalogSource[] = [
  {
    id: 'sigma', name: 'SigmaHQ/sigma', url: 'https://github.com/SigmaHQ/sigma.git', license: 'Detection Rule License (DRL) 1.1',
    folders: ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance'],
  },
  {
    id: 'elastic', name: 'elastic/detection-rules', url: 'https://github.com/elastic/detection-rules.git', license: 'Elastic License 2.0',
    folders: ['rules', 'rules_building_block'],
  },
  {
    id: 'splunk', name: 'splunk/security_content', url: 'https://github.com/splunk/security_content.git', license: 'Apache License 2.0',
    // Macros and data sources are read with the searches (backtick macros are expanded from macros/).
    folders: ['detections', 'macros', 'data_sources'],
  },
  {
    id: 'sentinel', name: 'Azure/Azure-Sentinel', url: 'https://github.com/Azure/Azure-Sentinel.git', license: 'MIT License',
    // The solutions hold workbooks, playbooks and packages too: only their analytic rule folders are taken.
    folders: ['Detections', 'Hunting Queries', 'Solutions/*/Analytic Rules', 'Solutions/*/Analytics Rules', 'Solutions/*/Analytical Rules',
      'Solutions/*/Detections', 'Solutions/*/Detection Queries'],
  },
  {
    id: 'chronicle', name: 'chronicle/detection-rules', url: 'https://github.com/chronicle/detection-rules.git', license: 'Apache License 2.0',
    folders: ['rules'],
  },
  {
    id: 'panther', name: 'panther-labs/panther-analysis', url: 'https://github.com/panther-labs/panther-analysis.git', license: 'Apache License 2.0',
    // rules/ holds each rule's YAML and the Python with its logic.
    folders: ['rules'],
  },
];

/** Sparse checkout patterns (non-cone mode) for a source's folders: anchored at the root, whole folders. */
export function sparsePatterns(source: Pick<CatalogSource, 'folders'>): string[] {
  return source.folders.map((folder) => `/${folder.replace(/^\/+|\/+$/g, '')}/`);
}
