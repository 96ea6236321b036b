import * as vscode from 'vscode';

/** Typed access to the extension's settings. */
export function catalogPaths(): string[] {
  const paths = vscode.workspace.getConfiguration('detectionLens').get<unknown>('catalog.paths');
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
}

export const RULE_GLOB = '**/*.{yml,yaml,toml,yaral,py}';
