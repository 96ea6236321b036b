import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { REPO_ROOT } from '../helpers/paths';
import { SERVER_EXEC_ARGV, serverEnv } from '../../server/src/lsp/launch';

export interface StatusMessage {
  state: string;
  rules: number;
  done: number;
  total: number;
}

/** A real `dist/server.js --stdio` process and a JSON-RPC connection to it, as an editor would have. */
export class LspSession {
  readonly connection: MessageConnection;
  readonly logs: string[] = [];
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  private readonly statusWaiters: ((s: StatusMessage) => void)[] = [];
  private readonly diagnosticWaiters: (() => void)[] = [];
  lastStatus?: StatusMessage;
  private versions = new Map<string, number>();

  private readonly reader: StreamMessageReader;

  private constructor(readonly child: ChildProcess, settings: unknown) {
    this.reader = new StreamMessageReader(child.stdout!);
    this.connection = createMessageConnection(this.reader, new StreamMessageWriter(child.stdin!));
    child.stderr?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', (m: { message: string }) => this.logs.push(m.message));
    this.connection.onNotification('detectionLens/catalogStatus', (s: StatusMessage) => {
      this.lastStatus = s;
      for (const waiter of this.statusWaiters.splice(0)) waiter(s);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, { ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
      for (const waiter of this.diagnosticWaiters.splice(0)) waiter();
    });
    this.connection.listen();
  }

  /**
   * `initializationOptions` is what the extension passes (its storage folder, for the catalog cache);
   * `textDocument` adds client capabilities (VS Code's codeAction resolveSupport, say).
   */
  static async start(settings: unknown, workspaceFolders: string[] = [], initializationOptions?: unknown, textDocument?: unknown): Promise<LspSession> {
    const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...serverEnv() } });
    const session = new LspSession(child, settings);
    await session.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true },
        ...(textDocument !== undefined ? { textDocument } : {}),
      },
      workspaceFolders: workspaceFolders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    await session.connection.sendNotification('initialized', {});
    return session;
  }

  /** Resolves when a status notification satisfies the predicate (checked against the last one first). */
  waitForStatus(predicate: (s: StatusMessage) => boolean, timeoutMs = 60_000): Promise<StatusMessage> {
    if (this.lastStatus && predicate(this.lastStatus)) return Promise.resolve(this.lastStatus);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`status not reached; last: ${JSON.stringify(this.lastStatus)}`)), timeoutMs);
      const check = (s: StatusMessage) => {
        if (predicate(s)) {
          clearTimeout(timer);
          resolve(s);
        } else this.statusWaiters.push(check);
      };
      this.statusWaiters.push(check);
    });
  }

  /** Waits for diagnostics of a URI at (at least) a document version. */
  async waitForDiagnostics(uri: string, version: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && (current.version ?? 0) >= version) return current.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${version}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.diagnosticWaiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  async open(uri: string, text: string): Promise<number> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return 1;
  }

  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  hover(uri: string, text: string, needle: string, offsetInNeedle = 1): Promise<{ contents: { value: string } } | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, offsetInNeedle) });
  }

  codeActions(uri: string, range: Range): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
  }

  /** Any request at a position found by text (completion, definition, references, rename…). */
  requestAt<T>(method: string, uri: string, text: string, needle: string, offsetInNeedle = 0, extra: Record<string, unknown> = {}): Promise<T> {
    return this.connection.sendRequest(method, { textDocument: { uri }, position: positionOf(text, needle, offsetInNeedle), ...extra });
  }

  /** A request that takes only the document (documentSymbol, foldingRange). */
  requestDocument<T>(method: string, uri: string): Promise<T> {
    return this.connection.sendRequest(method, { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.release();
      this.child.kill();
    }
  }

  /**
   * Lets go of the connection and the server's pipes, for a server that is gone or going. A server
   * killed while it wrote a message leaves part of it in vscode-jsonrpc's reader, which then re-arms a
   * 10 s timer for as long as it lives, even disposed: that kept a test process alive after its tests
   * had passed, and CI waited on it. With no partial-message timeout the armed timer fires once more and
   * is not armed again.
   */
  release(): void {
    this.reader.partialMessageTimeout = 0;
    this.connection.dispose();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) stream?.destroy();
  }
}

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Diagnostic { range: Range; severity: number; code?: string; message: string }
export interface TextEditJson { range: Range; newText: string }
export interface CodeAction { title: string; edit?: { changes: Record<string, TextEditJson[]> }; data?: unknown }

/** The position of a needle in the text (plus an offset into it), found by text, never hard-coded. */
export function positionOf(text: string, needle: string, offsetInNeedle = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not in text`);
  return positionAtOffset(text, at + offsetInNeedle);
}

export function positionAtOffset(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += (lines[i]?.length ?? 0) + 1;
  return offset + position.character;
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: TextEditJson[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetAt(text, e.range.start)) + e.newText + out.slice(offsetAt(text, e.range.end));
  return out;
}
