import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { HoverCatalog } from '../analysis/hoverContent';
import type { CatalogService } from './catalogService';
import type { DocumentCache } from './documentCache';

/** What every feature handler needs; one object so handlers stay small. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  cache: DocumentCache;
  catalog: CatalogService;
  /**
   * The client fills in a code action's edit with codeAction/resolve when one is chosen (VS Code
   * does): exclusion edits, each verified by re-reading the edited rule, are then made only on demand.
   */
  resolvesCodeActionEdits?: boolean;
}

export function hoverCatalog(ctx: ServerContext): HoverCatalog {
  const reach = ctx.catalog.reachContext();
  return {
    overview: (t) => ctx.catalog.overview(t),
    totalRules: ctx.catalog.catalog.ruleCount,
    ...(reach ? { reach } : {}),
  };
}

/** Runs a handler, logging (never throwing) at the boundary and answering the fallback. */
export async function guarded<T>(ctx: ServerContext, name: string, fallback: T, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    ctx.connection.console.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return fallback;
  }
}
