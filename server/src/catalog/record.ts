/**
 * The normalized rule record of ../shared/docs/catalog-contract.md. Every vendor parser produces these;
 * the statistics, the CLI, the language server and the panel read only these.
 */

export const VENDORS = ['sigma', 'elastic', 'splunk', 'sentinel', 'chronicle', 'panther'] as const;
export type Vendor = (typeof VENDORS)[number];

export type Language = 'sigma' | 'kql' | 'eql' | 'esql' | 'lucene' | 'spl' | 'kusto' | 'yaral' | 'python';

export const OPS = [
  'eq', 'ne', 'in', 'wildcard', 'contains', 'starts_with', 'ends_with', 'regex_match', 'match', 'cidr',
  'gt', 'ge', 'lt', 'le', 'is_null', 'is_not_null',
] as const;
export type Op = (typeof OPS)[number];

export interface Predicate {
  /** Canonical name: Sigma taxonomy name, `namespace::name`, or the source name when nothing maps. */
  field: string;
  /** The field as the rule writes it. */
  sourceField: string;
  op: Op;
  /** Matched strings with the query language's quoting and escapes resolved; numbers as strings. */
  values: string[];
  /** Every value must match (Sigma `|all`, Kusto `has_all`). */
  all: boolean;
  /** Under an odd number of NOTs, or itself a negative operator. */
  negated: boolean;
  /** Inside a top-level NOT of the rule's condition (a false-positive filter). */
  exclusion: boolean;
}

export interface RuleEvent {
  provider: string;
  event: string;
}

export interface Problem {
  message: string;
  /** 1-based line in the rule file, when known. */
  line?: number;
}

/** What kind of file a record stands for; detection rules are the default. */
export type RuleKind = 'detection' | 'correlation' | 'filter' | 'machine_learning' | 'threshold';

export interface RuleRecord {
  vendor: Vendor;
  id: string;
  title: string;
  /** Relative to the catalog root it was found under, with forward slashes. */
  path: string;
  language: Language;
  /** Upper case, as tagged (no translation between ATT&CK versions here). */
  techniques: string[];
  platforms: string[];
  events: RuleEvent[];
  predicates: Predicate[];
  problems: Problem[];
  /** Extensions beyond the contract, all optional so the contract's shape stays intact. */
  kind?: RuleKind;
  deprecated?: boolean;
  /** 1-based line of the rule inside its file (multi-rule files), for "open at the rule". */
  line?: number;
  /** Absolute path of the file on disk, so editors can open it. */
  file?: string;
  /** Sigma only: the rule's logsource, so exclusions can be matched to rules of the same log source. */
  logsource?: { product?: string; category?: string; service?: string };
}

/** A file that could not become a rule, with the reason. */
export interface Failure {
  path: string;
  vendor?: Vendor;
  reason: string;
  line?: number;
}
