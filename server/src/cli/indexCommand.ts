import { Catalog } from '../catalog/catalog';
import { VENDORS } from '../catalog/record';
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

export async function runIndex(paths: string[], json: boolean, out?: string): Promise<number> {
  const catalog = await Catalog.build(paths);
  const summary = catalog.summary();
  process.stdout.write(json ? `${JSON.stringify(indexJson(summary))}\n` : `${indexText(summary)}\n`);
  if (out) {
    // A team snapshot for detectionLens.catalog.snapshot; reported on stderr so --json stays one document.
    const written = writeSnapshot(out, catalog.outcomes, summary, parserBuildStamp(), paths);
    process.stderr.write(`catalog snapshot written to ${out}: ${written.files} files, ${summary.rules} rules, ${(written.bytes / 1048576).toFixed(1)} MB\n`);
  }
  return 0;
}

export async function runRules(paths: string[]): Promise<number> {
  const catalog = await Catalog.build(paths);
  const records = catalog.records.map(({ file: _file, ...record }) => record);
  process.stdout.write(`${JSON.stringify(records)}\n`);
  return 0;
}
