import { parseArgs } from 'node:util';
import { normalizeTechniqueId } from '../catalog/attack/attack';
import { tuneJitForIndexing } from '../catalog/pool/jitTuning';
import { VENDORS, type Vendor } from '../catalog/record';
import type { Domain, RuleFilter } from '../catalog/stats/filters';
import { staticPage } from '../panel/page';
import { writeFileSync } from 'node:fs';
import { catalogFor } from './catalogOption';
import { runCheck } from './checkCommand';
import { runIndex, runRules } from './indexCommand';
import { overviewText } from './overviewText';

const USAGE = `detection-lens — a catalog of detection rules from Sigma, Elastic, Splunk, Sentinel, Chronicle and Panther

usage:
  detection-lens index <path…> [--json] [--out SNAPSHOT]
  detection-lens rules <path…> --json
  detection-lens overview <technique> <path…> [--json | --html FILE] [--vendor V,…] [--platform P,…] [--domain D,…]
  detection-lens check <sigma-file…> --catalog <path…> [--format text|json|sarif]

A path is a folder (searched recursively, vendor detected per file) or a single rule file.
--cache DIR (any command): keep the indexed catalog in DIR, and re-parse only the files changed since.
  DETECTION_LENS_CACHE=DIR in the environment does the same; --cache '' turns it off.`;

const DOMAINS: readonly Domain[] = ['endpoint', 'cloud', 'identity', 'network', 'saas', 'other'];

/** --vendor/--platform/--domain, repeatable or comma-separated; a string when a value is unknown. */
function filterOf(values: { vendor?: string[]; platform?: string[]; domain?: string[] }): RuleFilter | string {
  const split = (list: string[] | undefined) => (list ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const vendors = split(values.vendor);
  const domains = split(values.domain);
  const bad = vendors.find((v) => !(VENDORS as readonly string[]).includes(v)) ?? domains.find((d) => !(DOMAINS as readonly string[]).includes(d));
  if (bad) return `unknown vendor or domain '${bad}'`;
  const filter: RuleFilter = {};
  if (vendors.length) filter.vendors = vendors as Vendor[];
  if (domains.length) filter.domains = domains as Domain[];
  const platforms = split(values.platform);
  if (platforms.length) filter.platforms = platforms;
  return filter;
}

async function runOverview(args: string[], json: boolean, html: string | undefined, filter: RuleFilter | string, cacheDir: string | undefined): Promise<number> {
  const [technique, ...paths] = args;
  const id = technique ? normalizeTechniqueId(technique) : undefined;
  if (!id || paths.length === 0) return usageError('overview needs a technique id (e.g. T1562) and at least one path');
  if (typeof filter === 'string') return usageError(filter);
  const catalog = await catalogFor(paths, cacheDir);
  if (html) {
    // The panel's page; it opens with these filters and can change them itself.
    writeFileSync(html, staticPage(catalog, id, filter));
    if (!json) return 0;
  }
  const result = catalog.overview(id, filter);
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${overviewText(result)}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`detection-lens: ${message}\n\n${USAGE}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      json: { type: 'boolean', default: false }, html: { type: 'string' }, out: { type: 'string' }, catalog: { type: 'string', multiple: true }, cache: { type: 'string' },
      format: { type: 'string', default: 'text' }, vendor: { type: 'string', multiple: true },
      platform: { type: 'string', multiple: true }, domain: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  // set once in a shell profile or a CI job; an empty --cache turns it off for one command
  const cache = (values.cache ?? process.env.DETECTION_LENS_CACHE) || undefined;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'index':
      return rest.length ? runIndex(rest, values.json ?? false, values.out, cache) : usageError('index needs at least one path');
    case 'rules':
      return rest.length ? runRules(rest, cache) : usageError('rules needs at least one path');
    case 'overview':
      return runOverview(rest, values.json ?? false, values.html, filterOf(values), cache);
    case 'check': {
      const format = values.format ?? 'text';
      if (!['text', 'json', 'sarif'].includes(format)) return usageError(`unknown format '${format}'`);
      return rest.length ? runCheck(rest, values.catalog ?? [], format, cache) : usageError('check needs at least one Sigma file');
    }
    default:
      return usageError(`unknown command '${command}'`);
  }
}

if (require.main === module) {
  tuneJitForIndexing();
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`detection-lens: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
