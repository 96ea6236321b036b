import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, type ServerSettings } from './protocol';

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** Reads the `detectionLens` section over workspace/configuration, merged over typed defaults. */
export async function readSettings(connection: Connection, supported: boolean): Promise<ServerSettings> {
  if (!supported) return DEFAULT_SETTINGS;
  const raw = (await connection.workspace.getConfiguration({ section: 'detectionLens' })) as Record<string, unknown> | null;
  const catalog = (raw?.catalog ?? {}) as Record<string, unknown>;
  const threshold = Number(raw?.noisyReachThreshold ?? 0);
  return {
    catalog: {
      paths: stringList(catalog.paths),
      ...(typeof catalog.snapshot === 'string' && catalog.snapshot.trim() !== '' ? { snapshot: catalog.snapshot.trim() } : {}),
    },
    noisyReachThreshold: Number.isFinite(threshold) && threshold > 0 ? threshold : 0,
  };
}
