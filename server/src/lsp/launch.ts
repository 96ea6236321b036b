/**
 * How the server's Node.js is started, by the VS Code client and by the benchmark (and best by any
 * editor: see the README's Neovim setup). The server keeps ~70 MB of catalog alive and serves
 * requests that each make short-lived garbage; a young generation of V8's default size (16 MB
 * semi-spaces) kept ~12 MB more resident for no speed (measured: peak 268 → 256 MB, hover, diagnostics
 * and code-action p99 unchanged or lower).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];

/**
 * The environment the server is started with, besides the editor's own. glibc's malloc gives each
 * thread that allocates an arena of its own and keeps what is freed there for that thread; during a
 * cold index four threads (the main thread, the index thread and two parse threads on two cores) run
 * at once and pass each other ~13 MB of outcomes in message buffers (which allocations the cap saves
 * was not traced). Capped at two arenas, the server's peak on the corpus was 228–230 MB instead of
 * 243–245 MB (three interleaved starts each), ready as fast. Other C libraries (macOS, Windows, musl)
 * ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** SERVER_ENV without what `current` already sets: a value the user chose wins. */
export function serverEnv(current: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVER_ENV).filter(([name]) => current[name] === undefined));
}
