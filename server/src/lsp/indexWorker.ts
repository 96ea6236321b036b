import { parentPort } from 'node:worker_threads';
import { indexPaths, type FileOutcome } from '../catalog/indexer';

/**
 * Runs a whole index off the server's main thread, so parsing (and the garbage it makes) never
 * delays a hover. Outcomes go back in batches; the main thread only merges them.
 */
export interface IndexRequest {
  roots: string[];
}

export type IndexMessage =
  | { type: 'batch'; outcomes: FileOutcome[]; done: number; total: number }
  | { type: 'end'; errors: { path: string; reason: string }[]; ms: number }
  | { type: 'error'; message: string };

const BATCH = 200;

parentPort?.on('message', (request: IndexRequest) => {
  let batch: FileOutcome[] = [];
  let done = 0;
  let total = 0;
  const send = (message: IndexMessage) => parentPort?.postMessage(message);
  indexPaths(request.roots, {
    onOutcome: (outcome) => {
      batch.push(outcome);
    },
    onProgress: (d, t) => {
      done = d;
      total = t;
      if (batch.length >= BATCH) {
        send({ type: 'batch', outcomes: batch, done, total });
        batch = [];
      }
    },
  }).then(
    (result) => {
      send({ type: 'batch', outcomes: batch, done, total });
      send({ type: 'end', errors: result.errors, ms: result.ms });
    },
    (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
