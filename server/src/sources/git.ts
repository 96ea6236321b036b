import { spawn } from 'node:child_process';

/** Running git as a child process: cancellable, never prompting, with its progress lines passed on. */

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** A git command that failed; `stderr` is git's own explanation. */
export class GitError extends Error {
  constructor(message: string, readonly stderr: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd?: string;
  signal?: AbortSignal;
  /** Each progress line git writes to stderr ("Receiving objects:  45% (…)"). */
  onProgress?: (line: string) => void;
  /** The git executable (default: git on PATH). */
  git?: string;
}

/** Never ask for credentials or a host key on a terminal: a download runs without one. */
const QUIET_ENV = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', GIT_ASKPASS: '', SSH_ASKPASS: '', LC_ALL: 'C' };

export function runGit(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError());
    const child = spawn(options.git ?? 'git', args, { cwd: options.cwd, env: { ...process.env, ...QUIET_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      // Progress lines end in \r while they count up; each one is a report.
      for (const line of text.split(/[\r\n]+/)) if (line.trim() && options.onProgress) options.onProgress(line.trim());
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', abort);
      reject(error.code === 'ENOENT' ? new GitError('git was not found on PATH: install git to download rule catalogs', '', null) : error);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) reject(new CancelledError());
      else if (code === 0) resolve(stdout);
      else reject(new GitError(`git ${args[0] ?? ''} failed: ${lastLines(stderr)}`, stderr, code));
    });
  });
}

function lastLines(stderr: string): string {
  const lines = stderr.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Enumerating|Total|Updating files)/.test(l));
  return lines.slice(-3).join(' ') || 'no message';
}

/** git's ways of saying that the remote could not be reached, or is not there. */
const UNREACHABLE = /could not resolve host|unable to access|failed to connect|connection refused|connection timed out|network is unreachable|could not read from remote|couldn't connect|no route to host|operation timed out|does not appear to be a git repository|repository .* not found|temporary failure in name resolution/i;

export function isUnreachable(error: unknown): boolean {
  return error instanceof GitError && UNREACHABLE.test(error.stderr);
}
