import { parseArgs } from 'node:util';
import { Catalog } from '../catalog/catalog';
import { normalizeTechniqueId } from '../catalog/attack/attack';
import { runCheck } from './checkCommand';
import { runIndex, runRules } from './indexCommand';
import { overviewText } from './overviewText';

const USAGE = `detection-lens — a catalog of detection rules from Sigma, Elastic, Splunk, Sentinel, Chronicle and Panther

usage:
  detection-lens index <path…> [--json]
  detection-lens rules <path…> --json
  detection-lens overview <technique> <path…> [--json | --html FILE]
  detection-lens check <sigma-file…> --catalog <path…> [--format text|json|sarif]

A path is a folder (searched recursively, vendor detected per file) or a single rule file.`;

async function runOverview(args: string[], json: boolean, html: string | undefined): Promise<number> {
  const [technique, ...paths] = args;
  const id = technique ? normalizeTechniqueId(technique) : undefined;
  if (!id || paths.length === 0) return usageError('overview needs a technique id (e.g. T1562) and at least one path');
  if (html) return usageError('--html is not available in this build');
  const catalog = await Catalog.build(paths);
  const result = catalog.overview(id);
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
      json: { type: 'boolean', default: false }, html: { type: 'string' }, catalog: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'index':
      return rest.length ? runIndex(rest, values.json ?? false) : usageError('index needs at least one path');
    case 'rules':
      return rest.length ? runRules(rest) : usageError('rules needs at least one path');
    case 'overview':
      return runOverview(rest, values.json ?? false, values.html);
    case 'check': {
      const format = values.format ?? 'text';
      if (!['text', 'json', 'sarif'].includes(format)) return usageError(`unknown format '${format}'`);
      return rest.length ? runCheck(rest, values.catalog ?? [], format) : usageError('check needs at least one Sigma file');
    }
    default:
      return usageError(`unknown command '${command}'`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`detection-lens: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
