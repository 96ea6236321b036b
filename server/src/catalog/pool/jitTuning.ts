import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags for a process that indexes a catalog: the CLI and the language server (its index and parse
 * threads share the process's flags). A cold index runs six query-language parsers once over ~11,000
 * files in a fresh process, so the optimizing compiler's own work is a large part of it, on the second
 * core the parse thread needs for nothing else. On the 2-core machine of docs/benchmarks.md:
 *
 * - Inlining less (a budget of 200 bytecodes per function instead of 920): with the default, the
 *   compiler ran for ~2 s of CPU, as much as the parse thread parsed. This cut a cold index's CPU time
 *   by ~20% and its wall time by ~13%.
 * - Optimizing later: a function is compiled by TurboFan after 528 KB of its bytecode has run, eight
 *   times the default of Node 20's V8 (66 KB; 4× and 16× were slower, measured with two parse threads
 *   on 2026-12-08). Much of a parser runs once per file, a few thousand times: compiled early
 *   on thin type feedback, it was thrown away on the next shape of rule and compiled again. Over the
 *   corpus: 580 → 222 compilations, ~2.8 → ~1.0–1.2 s of compiler time, 191 → 58 deoptimizations; a
 *   cold index ~13% less CPU and 5–8% less time, a language server's cold start ready ~11% sooner.
 *   Lexers and other hot loops still reach TurboFan early, through their loops.
 *
 * Request latency was unchanged with each (interleaved runs of the bench's server phases).
 */
export const INDEX_V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=200', `--interrupt-budget=${8 * 66 * 1024}`];

/**
 * Applies INDEX_V8_FLAGS to this process. Call it first thing in an entry point: the flags steer the
 * compiler from then on, and Node.js accepts them at run time, so editors that start the server
 * without our command line (Neovim, say) get them too. Node's documentation warns that flags changed
 * after start-up may misbehave; this one only moves a threshold of the optimizing compiler's inlining
 * heuristic, and the tests that start the server or the CLI (the real-editor ones too) run with it.
 */
export function tuneJitForIndexing(): void {
  setFlagsFromString(INDEX_V8_FLAGS.join(' '));
}
