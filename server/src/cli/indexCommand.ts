import { catalogFor } from './catalogOption';
import { VENDORS, type RuleRecord } from '../catalog/record';
import type { IndexSummary } from '../catalog/summary';
import { safeText, table } from './terminal';
import { parserBuildStamp } from '../catalog/pool/parsePool';
import { writeSnapshot } from '../sources/snapshot';

export function indexJson(summary: IndexSummary): unknown {
  return {
    rules: summary.rules,
    byVendor: summary.byVendor,
    failures: summary.failures.map((f) => ({ path: f.path, reason: f.reason, ...(f.line ? { line: f.line } : {}), ...(f.vendor ? { vendor: f.vendor } : {}) })),
    unrecognized: summary.unrecognized,
    ms: summary.ms,
  };
}

export function indexText(summary: IndexSummary): string {
  const rows = VENDORS.filter((v) => summary.byVendor[v].files > 0).map((v) => {
    const c = summary.byVendor[v];
    return [v, c.files, c.rules, c.withPredicates, c.withTechniques, c.failed, c.skipped];
  });
  const failures = summary.failures.slice(0, 50).map((f) => `  ${safeText(f.path, 100)}${f.line ? `:${f.line}` : ''}  ${safeText(f.reason, 140)}`);
  const more = summary.failures.length > 50 ? [`  … and ${summary.failures.length - 50} more (--json lists all)`] : [];
  return [
    table(['vendor', 'files', 'rules', 'with predicates', 'with techniques', 'failed', 'skipped'], rows),
    '',
    `${summary.rules} rules indexed in ${summary.ms} ms${summary.unrecognized ? `; ${summary.unrecognized} files were not rules of any vendor` : ''}`,
    ...(summary.failures.length ? ['', `failures (${summary.failures.length}):`, ...failures, ...more] : []),
  ].join('\n');
}

export async function runIndex(paths: string[], json: boolean, out?: string, cacheDir?: string): Promise<number> {
  const catalog = await catalogFor(paths, cacheDir);
  const summary = catalog.summary();
  process.stdout.write(json ? `${JSON.stringify(indexJson(summary))}\n` : `${indexText(summary)}\n`);
  if (out) {
    // A team snapshot for detectionLens.catalog.snapshot; reported on stderr so --json stays one document.
    const written = writeSnapshot(out, catalog.outcomes, summary, parserBuildStamp(), paths);
    process.stderr.write(`catalog snapshot written to ${out}: ${written.files} files, ${summary.rules} rules, ${(written.bytes / 1048576).toFixed(1)} MB\n`);
  }
  return 0;
}

export async function runRules(paths: string[], cacheDir?: string): Promise<number> {
  const catalog = await catalogFor(paths, cacheDir);
  process.stdout.write(`${JSON.stringify(catalog.records.map(recordJson))}\n`);
  return 0;
}

/** A record's fields as `rules --json` prints them: the contract's, in its order, then the extensions. */
const RECORD_KEYS = [
  'vendor', 'id', 'title', 'path', 'language', 'techniques', 'platforms', 'events', 'predicates', 'problems',
  'kind', 'deprecated', 'line', 'logsource',
] as const satisfies readonly (keyof RuleRecord)[];

/**
 * One order of fields, whether the record was parsed now or read from a cache or a team snapshot (each
 * vendor's parser builds its records in an order of its own). No `file`: an absolute path of this machine.
 */
export function recordJson(record: RuleRecord): Partial<RuleRecord> {
  const json: Record<string, unknown> = {};
  for (const key of RECORD_KEYS) if (record[key] !== undefined) json[key] = record[key];
  return json as Partial<RuleRecord>;
}
