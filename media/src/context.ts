import type { RuleFilter } from '../../server/src/catalog/stats/filters';
import type { PanelView } from '../../server/src/panel/aggregate';
import type { PanelState, WebviewMessage } from '../../server/src/panel/messages';
import type { PanelModel } from '../../server/src/panel/model';

/** The slice of the webview API the panel uses (absent in a static page). */
export interface HostApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Everything a section needs to draw itself and react. */
export interface PanelContext {
  model: PanelModel;
  view: PanelView;
  state: PanelState;
  host?: HostApi;
  /** How many rows each section shows; "Show more" raises it. */
  limits: Map<string, number>;
  /** Indicator and exclusion rows whose rule lists are open. */
  expanded: Set<string>;
  setFilter(filter: RuleFilter): void;
  rerender(): void;
}

export const PAGE = 25;

export function limitOf(ctx: PanelContext, section: string): number {
  return ctx.limits.get(section) ?? PAGE;
}
