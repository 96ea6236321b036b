import type { Failure, RuleRecord, Vendor } from '../record';

/**
 * One file handed to a vendor parser: its text (already decoded, BOM stripped) and where it lives.
 * Parsers never touch the file system; discovery and reading are the indexer's job.
 */
export interface SourceFile {
  /** Relative to the catalog root, forward slashes. */
  path: string;
  /** Absolute path on disk (or a virtual path in tests). */
  absPath: string;
  text: string;
  /** Context shared across the files of one catalog root (e.g. Splunk macros). */
  context: ParseContext;
  /** Panther: the Python file the YAML names in `Filename:`, when it sits beside the YAML. */
  companion?: { path: string; text: string };
}

export interface ParseContext {
  /** Splunk macro definitions by name, when the catalog root has a `macros/` folder. */
  splunkMacros?: Map<string, SplunkMacro>;
  /**
   * Read every top-level key of a YAML rule, not only those its parser uses (yamlSections.ts): a YAML
   * error anywhere in the file then fails it. The tests compare the two ways.
   */
  wholeYaml?: boolean;
}

/** The top-level keys to read of a file parsed with `context`: `sections`, or all of them (wholeYaml). */
export function sectionsToRead(context: ParseContext, sections: ReadonlySet<string>): ReadonlySet<string> | undefined {
  return context.wholeYaml ? undefined : sections;
}

export interface SplunkMacro {
  name: string;
  definition: string;
  /** Argument names for `name(n)` macros. */
  args: string[];
}

/**
 * What a parser makes of one file: zero or more rules (a multi-document file may hold several),
 * a failure with its reason, or a skip (a file of the vendor's repository that is not a rule, such as a
 * Splunk macro definition). Exactly one of the three is meaningful; `rules` may be empty only with
 * `failure` or `skip` set.
 */
export interface ParseOutcome {
  rules: RuleRecord[];
  failure?: Failure;
  skip?: string;
}

export interface VendorParser {
  vendor: Vendor;
  parse(file: SourceFile): ParseOutcome;
}

export function failed(file: SourceFile, vendor: Vendor, reason: string, line?: number): ParseOutcome {
  const failure: Failure = { path: file.path, vendor, reason };
  if (line !== undefined) failure.line = line;
  return { rules: [], failure };
}

export function skipped(reason: string): ParseOutcome {
  return { rules: [], skip: reason };
}
