import type { Vendor } from '../record';
import { chronicleParser } from './chronicle';
import { elasticParser } from './elastic';
import type { ParseContext, VendorParser } from './parser';
import { pantherParser } from './panther';
import { sentinelParser } from './sentinel';
import { sigmaParser } from './sigma';
import { splunkParser } from './splunk';
import { loadSplunkMacros } from './splunk/macros';

/** The parser of each vendor. */
export const PARSERS: Partial<Record<Vendor, VendorParser>> = {
  sigma: sigmaParser,
  elastic: elasticParser,
  splunk: splunkParser,
  sentinel: sentinelParser,
  chronicle: chronicleParser,
  panther: pantherParser,
};

/** Builds the per-root context (Splunk macros) from the root's support files. */
export function buildParseContext(files: { path: string; text: string }[]): ParseContext {
  return files.length ? { splunkMacros: loadSplunkMacros(files) } : {};
}
