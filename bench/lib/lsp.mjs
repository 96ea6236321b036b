// A stdio LSP client for the bench (after test/lsp/harness.ts): spawns a server, answers its
// configuration requests, and records diagnostics and status notifications with their arrival time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

export class Client {
  constructor(command, args, settings, options = {}) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options.spawn });
    this.reader = new StreamMessageReader(this.child.stdout);
    this.connection = createMessageConnection(this.reader, new StreamMessageWriter(this.child.stdin));
    this.logs = [];
    this.waiters = [];
    this.versions = new Map();
    this.child.stderr.on('data', (chunk) => this.logs.push(chunk.toString()));
    this.connection.onRequest('workspace/configuration', (params) => params.items.map((item) => settings(item.section)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', (m) => this.logs.push(m.message));
    this.connection.onNotification('detectionLens/catalogStatus', (s) => this.notify('status', s));
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => this.notify('diagnostics', p));
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  notify(kind, value) {
    if (kind === 'status') this.status = value;
    const at = performance.now();
    this.waiters = this.waiters.filter((w) => !(w.kind === kind && w.test(value) && (w.resolve({ value, at }), true)));
  }

  /**
   * Resolves with the first notification of the kind that passes the test from now on, and when it
   * arrived; with `current`, the last status counts too.
   */
  waitFor(kind, test, timeoutMs = 120_000, current = false) {
    if (current && kind === 'status' && this.status && test(this.status)) return Promise.resolve({ value: this.status, at: performance.now() });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${kind}`)), timeoutMs);
      this.waiters.push({ kind, test, resolve: (v) => { clearTimeout(timer); resolve(v); } });
    });
  }

  async initialize(params) {
    this.capabilities = (await this.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        // as VS Code declares them: code action edits are asked for when an action is picked
        textDocument: {
          publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] },
          codeAction: { resolveSupport: { properties: ['edit'] }, dataSupport: true },
        },
      },
      ...params,
    })).capabilities;
    await this.connection.sendNotification('initialized', {});
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Sends a full-text change; returns the new version. */
  async change(uri, text) {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  /** Peak resident memory of the server process so far (Linux VmHWM), in MB. */
  peakRssMb() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  /** CPU time the server process has used so far (all its threads), in ms, from /proc. */
  cpuMs() {
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ').pop().split(' ');
    // utime and stime are fields 14 and 15 of stat; the split above starts at field 3
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  }

  /**
   * Waits until the server has used less than 2% of a core for half a second: the work it starts by
   * itself after a burst (computing overviews in the background) is done. Gives up after `maxMs`.
   */
  async idle(maxMs = 30_000) {
    const started = performance.now();
    let last = this.cpuMs();
    while (performance.now() - started < maxMs) {
      await new Promise((r) => setTimeout(r, 500));
      const now = this.cpuMs();
      if (now - last <= 10) return performance.now() - started;
      last = now;
    }
    return performance.now() - started;
  }

  rssMb() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }

  async stop() {
    let timer;
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => { timer = setTimeout(r, 2000); })]);
      await this.connection.sendNotification('exit');
    } catch (error) {
      process.stderr.write(`server did not shut down cleanly (${error instanceof Error ? error.message : String(error)}); killing it\n`);
    } finally {
      // a message cut off by the exit would make vscode-jsonrpc's reader re-arm a 10 s timer forever,
      // keeping the bench alive (see LspSession.release in test/lsp/harness.ts)
      this.reader.partialMessageTimeout = 0;
      clearTimeout(timer);
      this.connection.dispose();
      this.child.kill();
    }
  }
}

/** Times an async call in milliseconds. */
export async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function stats(samples) {
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}
