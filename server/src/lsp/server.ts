import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification, FileChangeType, TextDocuments, TextDocumentSyncKind,
  type Connection, type InitializeParams, type InitializeResult, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CatalogService } from './catalogService';
import { DocumentCache } from './documentCache';
import type { ServerContext } from './context';
import { onCodeAction, onCodeActionResolve } from './features/codeActions';
import { Validator } from './features/diagnostics';
import { onHover } from './features/hover';
import { onCompletion } from './features/completion';
import { onDefinition } from './features/definition';
import { onFoldingRanges } from './features/folding';
import { onReferences } from './features/references';
import { onPrepareRename, onRename } from './features/rename';
import { onDocumentSymbol } from './features/symbols';
import { onCodeLens } from './features/codeLens';
import { onExclusionEdit, onPanelModel, onTechniqueList } from './features/panel';
import { CatalogStatusNotification, DownloadedCatalogsNotification, RebuildCatalogRequest, TechniqueOverviewRequest, type ServerSettings } from './protocol';
import { ExclusionEditRequest, PanelModelRequest, TechniqueListRequest } from './protocol';
import { normalizeTechniqueId } from '../catalog/attack/attack';
import { readSettings, stringList } from './settings';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { warmUp } from './warmUp';

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch (error) {
    void error; // a malformed URI is simply not a local folder
    return undefined;
  }
}

/** The snapshot setting as an absolute path: a relative one is read from the first workspace folder. */
function snapshotPath(setting: string | undefined, workspaceRoots: readonly string[]): string | undefined {
  if (!setting) return undefined;
  return path.isAbsolute(setting) || !workspaceRoots[0] ? path.resolve(setting) : path.resolve(workspaceRoots[0], setting);
}

/** Wires the language server: documents, catalog, settings and the feature handlers. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let progress: WorkDoneProgressServerReporter | undefined;
  let lastPercent = -1;
  const catalog = new CatalogService({
    status: (status) => void connection.sendNotification(CatalogStatusNotification.method, status),
    progress: (done, total) => {
      const percent = total ? Math.floor((done / total) * 100) : 0;
      if (percent !== lastPercent) progress?.report(percent, `${done}/${total} files`);
      lastPercent = percent;
    },
    changed: () => validator.scheduleAll(),
    log: (line) => connection.console.info(line),
  });
  const ctx: ServerContext = { connection, documents, cache: new DocumentCache(), catalog };
  const validator = new Validator(ctx);
  let workspaceRoots: string[] = [];
  let configurationSupported = false;
  let settings: ServerSettings | undefined;
  /** Clones made by the "Download Public Rule Catalogs" command, from the client. */
  let downloaded: string[] = [];

  const reindex = async () => {
    const roots = [...new Set([...workspaceRoots, ...(settings?.catalog.paths ?? []), ...downloaded])];
    catalog.snapshot = snapshotPath(settings?.catalog.snapshot, workspaceRoots);
    progress = await connection.window.createWorkDoneProgress();
    progress.begin('Detection Lens: indexing the rule catalog', 0, undefined, false);
    try {
      await catalog.rebuild(roots);
    } finally {
      progress.done();
      progress = undefined;
    }
    const status = catalog.status();
    connection.console.info(`catalog ready: ${status.rules} rules from ${roots.length} folder(s) in ${status.ms} ms; ${status.failures} failures`);
  };

  const applySettings = async () => {
    const next = await readSettings(connection, configurationSupported);
    const pathsChanged = JSON.stringify(next.catalog.paths) !== JSON.stringify(settings?.catalog.paths) || next.catalog.snapshot !== settings?.catalog.snapshot;
    const snapshot = snapshotPath(next.catalog.snapshot, workspaceRoots);
    if (pathsChanged && snapshot && !existsSync(snapshot)) {
      void connection.window.showWarningMessage(`Detection Lens: the catalog snapshot ${snapshot} (detectionLens.catalog.snapshot) does not exist; the catalog is built without it.`);
    }
    settings = next;
    catalog.thresholdOverride = next.noisyReachThreshold;
    if (pathsChanged) await reindex();
    else validator.scheduleAll();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [uriToPath(params.rootUri)].filter((p): p is string => !!p);
    configurationSupported = params.capabilities.workspace?.configuration === true;
    ctx.resolvesCodeActionEdits = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const storagePath = (params.initializationOptions as { storagePath?: unknown } | undefined)?.storagePath;
    if (typeof storagePath === 'string' && storagePath !== '') catalog.storagePath = storagePath;
    downloaded = stringList((params.initializationOptions as { downloadedCatalogs?: unknown } | undefined)?.downloadedCatalogs);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'], resolveProvider: true },
        completionProvider: { triggerCharacters: ['|', '.', ' '] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: params.capabilities.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'detection-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    // compile the request paths now, while idle, rather than in the first hover during the index
    setImmediate(() => {
      try {
        warmUp();
      } catch (error) {
        connection.console.error(`warm-up failed: ${String(error)}`);
      }
    });
    if (configurationSupported) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'detectionLens' });
    applySettings().catch((error: unknown) => connection.console.error(`indexing failed: ${String(error)}`));
  });

  connection.onDidChangeConfiguration(() => {
    applySettings().catch((error: unknown) => connection.console.error(`settings failed: ${String(error)}`));
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      try {
        if (change.type === FileChangeType.Deleted) catalog.fileDeleted(file);
        else await catalog.fileChanged(file);
      } catch (error) {
        connection.console.error(`catalog update for ${file} failed: ${String(error)}`);
      }
    }
    validator.scheduleAll();
  });

  connection.onRequest(RebuildCatalogRequest.method, async () => {
    await reindex();
    return catalog.status();
  });

  connection.onNotification(DownloadedCatalogsNotification.method, (params: { folders?: unknown }) => {
    downloaded = stringList(params?.folders);
    reindex().catch((error: unknown) => connection.console.error(`indexing failed: ${String(error)}`));
  });

  connection.onRequest(TechniqueOverviewRequest.method, (params: { technique?: unknown }) => {
    const id = typeof params?.technique === 'string' ? normalizeTechniqueId(params.technique) : undefined;
    return id ? catalog.overview(id) : null;
  });

  connection.onHover((params) => onHover(ctx, params));
  connection.onCodeLens((params) => onCodeLens(ctx, params));
  connection.onRequest(TechniqueListRequest.method, () => onTechniqueList(ctx));
  connection.onRequest(PanelModelRequest.method, (params: { technique?: unknown }) => onPanelModel(ctx, params));
  connection.onRequest(ExclusionEditRequest.method, (params: Record<string, string>) => onExclusionEdit(ctx, params));
  connection.onCodeAction((params) => onCodeAction(ctx, params));
  connection.onCodeActionResolve((action) => onCodeActionResolve(ctx, action));
  connection.onCompletion((params) => onCompletion(ctx, params));
  connection.onDefinition((params) => onDefinition(ctx, params));
  connection.onReferences((params) => onReferences(ctx, params));
  connection.onPrepareRename((params) => onPrepareRename(ctx, params));
  connection.onRenameRequest((params) => onRename(ctx, params));
  connection.onDocumentSymbol((params) => onDocumentSymbol(ctx, params));
  connection.onFoldingRanges((params) => onFoldingRanges(ctx, params));
  documents.onDidChangeContent((event) => validator.schedule(event.document.uri));
  documents.onDidClose((event) => {
    ctx.cache.drop(event.document.uri);
    validator.clear(event.document.uri);
  });
  documents.listen(connection);
  connection.listen();
}
