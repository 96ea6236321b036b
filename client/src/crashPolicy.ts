import type { CloseAction, ErrorAction, ErrorHandler } from 'vscode-languageclient/node';

/**
 * What the extension does when its language server dies: restart it, tell the user once, and stop
 * restarting when it keeps crashing (a crash loop would otherwise spin the CPU and flood the log).
 * Kept free of the `vscode` module so its logic is unit-tested outside the editor.
 */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60_000;
/** Connection errors tolerated in a row before the client shuts the connection down. */
const MAX_CONNECTION_ERRORS = 3;

export interface CrashDecision {
  restart: boolean;
  /** A message for the user, at most once for restarts and once when giving up. */
  notify?: string;
}

export class CrashPolicy {
  private crashes: number[] = [];
  private toldRestart = false;
  private toldGaveUp = false;

  constructor(private readonly now: () => number = Date.now) {}

  /** The server's connection closed without the extension asking: restart unless it is crash-looping. */
  closed(): CrashDecision {
    const at = this.now();
    this.crashes = this.crashes.filter((t) => at - t < RESTART_WINDOW_MS);
    this.crashes.push(at);
    if (this.crashes.length > MAX_RESTARTS) {
      const notify = this.toldGaveUp ? undefined
        : `Detection Lens: the language server stopped ${this.crashes.length} times in ${RESTART_WINDOW_MS / 60_000} minutes and will not be restarted. See the log; reload the window to try again.`;
      this.toldGaveUp = true;
      return { restart: false, ...(notify ? { notify } : {}) };
    }
    const notify = this.toldRestart ? undefined : 'Detection Lens: the language server stopped unexpectedly and was restarted. Details are in the log.';
    this.toldRestart = true;
    return { restart: true, ...(notify ? { notify } : {}) };
  }

  /** A read or write error on the connection: keep going for a few, then let the connection close. */
  error(count: number | undefined): 'continue' | 'shutdown' {
    return (count ?? 1) <= MAX_CONNECTION_ERRORS ? 'continue' : 'shutdown';
  }
}

/** The enum values of vscode-languageclient, passed in because that module needs the editor to load. */
export interface Actions {
  ErrorAction: { Continue: ErrorAction; Shutdown: ErrorAction };
  CloseAction: { Restart: CloseAction; DoNotRestart: CloseAction };
}

/** vscode-languageclient's error handler, driven by the policy; `notify` shows a message to the user. */
export function crashErrorHandler(policy: CrashPolicy, actions: Actions, notify: (message: string) => void): ErrorHandler {
  return {
    error: (_error, _message, count) => ({
      action: policy.error(count) === 'continue' ? actions.ErrorAction.Continue : actions.ErrorAction.Shutdown, handled: true,
    }),
    closed: () => {
      const decision = policy.closed();
      if (decision.notify) notify(decision.notify);
      return { action: decision.restart ? actions.CloseAction.Restart : actions.CloseAction.DoNotRestart, handled: true };
    },
  };
}
