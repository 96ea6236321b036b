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

/** The settings the server reads from the `detectionLens` section. */
export interface ServerSettings {
  catalog: { paths: string[] };
  /** Corpus reach from which an indicator counts as noisy; 0 = from the catalog's distribution. */
  noisyReachThreshold: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { catalog: { paths: [] }, noisyReachThreshold: 0 };

/** The command hovers and CodeLenses use to open a technique's overview. */
export const OPEN_OVERVIEW_COMMAND = 'detectionLens.openOverview';
