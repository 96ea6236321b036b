import type { Vendor } from '../record';
import type { ParseContext, VendorParser } from './parser';
import { sigmaParser } from './sigma';

/** The parser of each vendor; a vendor without one yet has its files counted as unsupported. */
export const PARSERS: Partial<Record<Vendor, VendorParser>> = {
  sigma: sigmaParser,
};

/** Builds the per-root context (Splunk macros) from the root's support files. */
export function buildParseContext(files: readonly { path: string; text: string }[]): ParseContext {
  void files;
  return {};
}
