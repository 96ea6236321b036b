import { defaultReachThreshold } from '../analysis/reachThreshold';
import type { Catalog } from '../catalog/catalog';
import type { RuleFilter } from '../catalog/stats/filters';
import { renderPanelHtml } from './html';
import { buildPanelModel, type PanelModel } from './model';
import { staticAssets } from './staticAssets';

/** The panel model for a technique from a whole catalog (reach and the noisy threshold whole-catalog). */
export function panelModel(catalog: Catalog, technique: string, noisyReach?: number): PanelModel {
  const corpus = catalog.corpus;
  return buildPanelModel(catalog.records, technique, corpus, noisyReach && noisyReach > 0 ? noisyReach : defaultReachThreshold(corpus));
}

/** `overview T --html FILE`: the panel's page, self-contained, opened with the given filters. */
export function staticPage(catalog: Catalog, technique: string, filter: RuleFilter = {}): string {
  const model = panelModel(catalog, technique);
  return renderPanelHtml(model, { mode: 'static', assets: staticAssets(), state: { technique: model.technique.id, filter } });
}
