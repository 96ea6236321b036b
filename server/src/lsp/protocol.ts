/**
 * Custom messages between the extension and the server, declared once (no `vscode` import here, so
 * both sides can use it).
 */
import type { Vendor } from '../catalog/record';

export interface CatalogStatus {
  state: 'indexing' | 'ready' | 'empty';
  done: number;
  total: number;
  rules: number;
  byVendor: Partial<Record<Vendor, number>>;
  failures: number;
  roots: string[];
  ms: number;
}

/** Server → client: the catalog's state changed (indexing progress, ready, failures). */
export namespace CatalogStatusNotification {
  export const method = 'detectionLens/catalogStatus';
}

/** Client → server: rebuild the catalog from scratch. */
export namespace RebuildCatalogRequest {
  export const method = 'detectionLens/rebuildCatalog';
}

/** Client → server: the overview of one technique (params: `{ technique }`), as the CLI's JSON. */
export namespace TechniqueOverviewRequest {
  export const method = 'detectionLens/techniqueOverview';
}

/** Client → server: every technique with its rule count, for the overview quick pick (TechniqueEntry[]). */
export namespace TechniqueListRequest {
  export const method = 'detectionLens/techniqueList';
}

/** Client → server: the overview panel's model of one technique (params: `{ technique }`; PanelModel or null). */
export namespace PanelModelRequest {
  export const method = 'detectionLens/panelModel';
}

/**
 * Client → server: the quick fix's edit that adds an exclusion to a Sigma document (params:
 * ExclusionEditParams), for the panel's "Add to current rule".
 */
export namespace ExclusionEditRequest {
  export const method = 'detectionLens/exclusionEdit';
}

export interface ExclusionEditParams {
  uri: string;
  field: string;
  op: string;
  value: string;
}

/** `edit` is an LSP WorkspaceEdit; `error` says why none could be made. */
export interface ExclusionEditResult {
  edit?: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
  error?: string;
}

/** The settings the server reads from the `detectionLens` section. */
export interface ServerSettings {
  /** `snapshot`: a team catalog file from `detection-lens index … --out` (relative to the first workspace folder). */
  catalog: { paths: string[]; snapshot?: string };
  /** Corpus reach from which an indicator counts as noisy; 0 = from the catalog's distribution. */
  noisyReachThreshold: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { catalog: { paths: [] }, noisyReachThreshold: 0 };

/**
 * Client → server: the folders of the downloaded public rule catalogs (params: `{ folders: string[] }`),
 * indexed with the workspace; sent after a download or an update. At start they come in
 * initializationOptions.downloadedCatalogs.
 */
export namespace DownloadedCatalogsNotification {
  export const method = 'detectionLens/downloadedCatalogs';
}

/** The command hovers and CodeLenses use to open a technique's overview. */
export const OPEN_OVERVIEW_COMMAND = 'detectionLens.openOverview';
