import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WORKER_LIMITS } from '../catalog/pool/parsePool';

/** The bundled index worker sits beside the bundled server in dist/ (and in the compiled tree, out/). */
export const INDEX_WORKER_PATH = path.join(__dirname, 'indexWorker.js');

/** An index thread started before the first index asked for one (startSpareIndexThread). */
let spare: Worker | undefined;

/**
 * Starts the index thread before anything asks for it, so it loads its code (~150 ms for the catalog,
 * the parsers and Node.js's own worker start-up) on the other core while the server loads its own and
 * the editor says `initialize` and sends the settings. A warm window reload was ready in 1.20 s
 * against 1.27 s in one set of 5 interleaved runs (medians), the same in another: the machine of
 * docs/benchmarks.md drifts by more than that. The language server's entry calls this first
 * (startIndexThreadEarly.ts); nothing else does, so tests that build a CatalogService start no thread.
 */
export function startSpareIndexThread(): void {
  if (spare || !existsSync(INDEX_WORKER_PATH)) return;
  const worker = newIndexThread();
  // a spare nobody takes (a server that never indexes) must not keep the process alive
  worker.unref();
  // A spare that fails to start is dropped: the index then starts a thread of its own, whose failure
  // it reports (the same code would fail the same way).
  const drop = () => {
    if (spare === worker) spare = undefined;
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  spare = worker;
}

/** The spare index thread if it is still there, else a new one; the caller owns it and ends it. */
export function takeIndexThread(): Worker {
  const worker = spare;
  spare = undefined;
  if (!worker) return newIndexThread();
  worker.removeAllListeners();
  worker.ref();
  return worker;
}

function newIndexThread(): Worker {
  return new Worker(INDEX_WORKER_PATH, { resourceLimits: WORKER_LIMITS });
}

/** Ends the spare, when no index will take it (a server with no catalog to index). */
export function endSpareIndexThread(): void {
  const worker = spare;
  spare = undefined;
  void worker?.terminate();
}

/** Is a spare waiting (for tests)? */
export function hasSpareIndexThread(): boolean {
  return spare !== undefined;
}
