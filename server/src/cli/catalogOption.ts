import * as path from 'node:path';
import { CatalogCache } from '../catalog/cache/catalogCache';
import { Catalog } from '../catalog/catalog';
import { indexPaths } from '../catalog/indexer';
import { parserBuildStamp } from '../catalog/pool/parsePool';

/**
 * The catalog a command works on, indexed from `paths`. With `--cache DIR` the outcomes of files not
 * changed since the last run come from a catalog cache in DIR (the language server's, in a folder of
 * the user's choosing), and the new catalog is saved there: on the corpus of docs/benchmarks.md a
 * second run indexes in ~0.4 s instead of ~3 s. What the cache did goes to stderr, so stdout stays the
 * command's output.
 */
export async function catalogFor(paths: readonly string[], cacheDir: string | undefined): Promise<Catalog> {
  if (cacheDir === undefined) return Catalog.build(paths);
  const folder = path.resolve(cacheDir);
  const note = (line: string) => process.stderr.write(`detection-lens: ${line}\n`);
  const result = await indexPaths(paths, { cache: CatalogCache.inFolder(folder, parserBuildStamp(), note) });
  note(`catalog cache ${folder}: ${result.cached ?? 0} files unchanged, ${result.parsed ?? 0} parsed`);
  return Catalog.fromIndex(result);
}
