import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/** Real VS Code here is code-server from npm, installed by scripts/e2e/install-code-server.sh into a cache. */
export const CODE_SERVER_VERSION = '4.100.3';

/**
 * Installs (or finds in the cache) code-server and the Debian packages the e2e tests use; returns its
 * binary, or a skip reason. Outside CI a machine that cannot install it skips LOUDLY; in CI it fails.
 */
export function ensureCodeServer(): { bin: string } | { skip: string } {
  try {
    const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'e2e', 'install-code-server.sh')], {
      env: { ...process.env, CODE_SERVER_VERSION }, stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000,
    });
    const prefix = out.toString().trim().split('\n').pop() ?? '';
    return { bin: path.join(prefix, 'node_modules', '.bin', 'code-server') };
  } catch (error) {
    if (process.env.CI) throw error;
    const reason = `CODE-SERVER MISSING: the install script failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); e2e test skipped`;
    console.warn(`\n*** ${reason} ***\n`);
    return { skip: reason };
  }
}

/** What `npm run package` reads; everything it writes (dist/, media/build, media/codicons) stays out of the checkout. */
const PACKAGE_INPUTS = ['client', 'server', 'scripts', 'node_modules', 'package.json', 'README.md', 'LICENSE', '.vscodeignore'];
/** Folders that go into the .vsix are copied: vsce does not walk into linked folders. */
const PACKAGED_FOLDERS = ['syntaxes', 'snippets', 'docs'];

/**
 * `npm run package`, as a release build would run it, in a staging folder of links to the checkout: the
 * production build does not replace dist/ under tests that may be running beside this one.
 */
export function packageExtension(stage: string): { vsix: string; bytes: number } {
  mkdirSync(path.join(stage, 'media'), { recursive: true });
  for (const name of PACKAGE_INPUTS) symlinkSync(path.join(REPO_ROOT, name), path.join(stage, name));
  for (const name of PACKAGED_FOLDERS) if (existsSync(path.join(REPO_ROOT, name))) cpSync(path.join(REPO_ROOT, name), path.join(stage, name), { recursive: true });
  for (const name of ['panel.css', 'src', 'tsconfig.json']) symlinkSync(path.join(REPO_ROOT, 'media', name), path.join(stage, 'media', name));
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const vsix = path.join(stage, 'detection-lens.vsix');
  return { vsix, bytes: statSync(vsix).size };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  logs: string[];
  stop(): void;
}

/** Every folder code-server writes to, under one state folder (nothing lands in the home folder). */
function isolatedEnv(state: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, sub] of [['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache'], ['XDG_STATE_HOME', 'xstate'], ['TMPDIR', 'tmp']] as const) {
    env[key] = path.join(state, sub);
    mkdirSync(env[key] as string, { recursive: true });
  }
  return env;
}

function dirs(state: string): string[] {
  return ['--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions'), '--config', path.join(state, 'config.yaml')];
}

/** Installs the .vsix into a fresh extensions folder, the way a user installs it. */
export function installExtension(bin: string, state: string, vsix: string): string {
  return execFileSync(bin, [...dirs(state), '--install-extension', vsix, '--force'], { env: isolatedEnv(state), timeout: 120_000 }).toString();
}

/** User settings that keep the walkthrough from stealing focus, plus the test's own. */
export function writeUserSettings(state: string, settings: Record<string, unknown>): void {
  const user = path.join(state, 'user-data', 'User');
  mkdirSync(user, { recursive: true });
  writeFileSync(path.join(user, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false, 'update.mode': 'none', ...settings,
  }, null, 2));
}

async function waitForHttp(url: string, child: ChildProcess, logs: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${logs.join('')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch (error) {
      void error; // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url}:\n${logs.join('')}`);
}

/** Starts code-server on a free loopback port in its own process group; stop() ends that group. */
export async function startCodeServer(bin: string, state: string, folder: string): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [...dirs(state), '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--bind-addr', `127.0.0.1:${port}`, folder];
  const child = spawn(bin, args, { env: isolatedEnv(state), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch (error) {
        void error; // the group already ended
      }
    }
  };
  try {
    await waitForHttp(`${url}/healthz`, child, logs, 60_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `${url}/?folder=${encodeURIComponent(folder)}`, logs, stop };
}
