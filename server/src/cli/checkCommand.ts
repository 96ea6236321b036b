import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { diagnose, type Finding, type ReachContext } from '../analysis/diagnose';
import { defaultReachThreshold } from '../analysis/reachThreshold';
import { knowledgeOf, type SigmaKnowledge } from '../analysis/validate/knowledge';
import { catalogFor } from './catalogOption';
import { parseSigmaDocument } from '../sigma/document';
import { safeText } from './terminal';

export interface CheckedFile {
  path: string;
  diagnostics: { line: number; character: number; endLine: number; endCharacter: number; severity: Finding['severity']; code: string; message: string }[];
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The editor's diagnostics for one file, with 0-based LSP positions. */
export function checkFile(file: string, reach: ReachContext | undefined, knowledge?: SigmaKnowledge): CheckedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { path: file, diagnostics: [{ line: 0, character: 0, endLine: 0, endCharacter: 0, severity: 'error', code: 'unreadable', message: `cannot read: ${reason}` }] };
  }
  const findings = diagnose(parseSigmaDocument(text.replace(/^\uFEFF/, '')), reach, knowledge);
  return {
    path: file,
    diagnostics: findings.map((f) => {
      const start = position(text, f.span.start);
      const end = position(text, f.span.end);
      return { ...start, endLine: end.line, endCharacter: end.character, severity: f.severity, code: f.code, message: f.message };
    }),
  };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** SARIF 2.1.0 for code scanning: one run, one result per diagnostic, 1-based regions. */
export function toSarif(files: CheckedFile[]): unknown {
  const rules = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].map((id) => ({ id, shortDescription: { text: id } }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'detection-lens', informationUri: 'https://github.com/', rules } },
      results: files.flatMap((f) => f.diagnostics.map((d) => ({
        ruleId: d.code, level: SARIF_LEVEL[d.severity], message: { text: d.message },
        locations: [{ physicalLocation: {
          artifactLocation: { uri: f.path.split(path.sep).join('/') },
          region: { startLine: d.line + 1, startColumn: d.character + 1, endLine: d.endLine + 1, endColumn: d.endCharacter + 1 },
        } }],
      }))),
    }],
  };
}

function text(files: CheckedFile[]): string {
  const lines = files.flatMap((f) => f.diagnostics.map((d) => `${safeText(f.path)}:${d.line + 1}:${d.character + 1}: ${d.severity} [${d.code}] ${safeText(d.message)}`));
  const errors = files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === 'error').length, 0);
  return [...lines, `${files.length} file(s) checked, ${errors} error(s)`].join('\n');
}

export async function runCheck(files: string[], catalogPaths: string[], format: string, cacheDir?: string): Promise<number> {
  const catalog = catalogPaths.length ? await catalogFor(catalogPaths, cacheDir) : undefined;
  const reach = catalog && catalog.records.length ? { corpus: catalog.corpus, threshold: defaultReachThreshold(catalog.corpus) } : undefined;
  const knowledge = catalog ? knowledgeOf(catalog) : undefined;
  const checked = files.map((f) => checkFile(f, reach, knowledge));
  if (format === 'json') {
    const json = checked.map((f) => ({ path: f.path, diagnostics: f.diagnostics.map(({ endLine: _l, endCharacter: _c, ...d }) => d) }));
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else if (format === 'sarif') {
    process.stdout.write(`${JSON.stringify(toSarif(checked), null, 2)}\n`);
  } else {
    process.stdout.write(`${text(checked)}\n`);
  }
  return checked.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
