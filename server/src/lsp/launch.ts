/**
 * How the server's Node.js is started, by the VS Code client and by the benchmark (and best by any
 * editor: see the README's Neovim setup). The server keeps ~70 MB of catalog alive and serves
 * requests that each make short-lived garbage; a young generation of V8's default size (16 MB
 * semi-spaces) kept ~12 MB more resident for no speed (measured: peak 268 → 256 MB, hover, diagnostics
 * and code-action p99 unchanged or lower).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];
