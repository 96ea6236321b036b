import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { crashErrorHandler, CrashPolicy, MAX_RESTARTS, RESTART_WINDOW_MS, type Actions } from '../../client/src/crashPolicy';
import { REPO_ROOT } from '../helpers/paths';
import { LspSession } from '../lsp/harness';
import { report } from './report';

/** vscode-languageclient's enum values (ErrorAction.Continue = 1, Shutdown = 2; CloseAction.DoNotRestart = 1, Restart = 2). */
const ACTIONS = { ErrorAction: { Continue: 1, Shutdown: 2 }, CloseAction: { DoNotRestart: 1, Restart: 2 } } as unknown as Actions;

function handler(clock: { now: number }) {
  const messages: string[] = [];
  return { messages, errorHandler: crashErrorHandler(new CrashPolicy(() => clock.now), ACTIONS, (m) => messages.push(m)) };
}

describe('crash recovery: the client error handler', () => {
  it('restarts after a crash and tells the user once', async () => {
    const clock = { now: 0 };
    const { messages, errorHandler } = handler(clock);
    for (let i = 0; i < MAX_RESTARTS; i++) {
      clock.now += 10_000;
      assert.deepEqual(await errorHandler.closed(), { action: 2, handled: true }, `crash ${i + 1} restarts`);
    }
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /stopped unexpectedly and was restarted/);
  });

  it('stops restarting a crash loop, with one more message, and never repeats it', async () => {
    const clock = { now: 0 };
    const { messages, errorHandler } = handler(clock);
    for (let i = 0; i < MAX_RESTARTS; i++) await errorHandler.closed();
    assert.deepEqual(await errorHandler.closed(), { action: 1, handled: true });
    assert.deepEqual(await errorHandler.closed(), { action: 1, handled: true });
    assert.equal(messages.length, 2);
    assert.match(messages[1] ?? '', /stopped 5 times in 3 minutes and will not be restarted/);
  });

  it('crashes far apart never add up to a loop', async () => {
    const clock = { now: 0 };
    const { messages, errorHandler } = handler(clock);
    for (let i = 0; i < 20; i++) {
      clock.now += RESTART_WINDOW_MS / 2;
      assert.equal((await errorHandler.closed()).action, 2, `crash ${i + 1}`);
    }
    assert.equal(messages.length, 1);
  });

  it('tolerates a few connection errors, then shuts the connection down (which then counts as a crash)', async () => {
    const { errorHandler } = handler({ now: 0 });
    const error = new Error('write EPIPE');
    assert.equal((await errorHandler.error(error, undefined, 1)).action, 1);
    assert.equal((await errorHandler.error(error, undefined, 3)).action, 1);
    assert.equal((await errorHandler.error(error, undefined, 4)).action, 2);
  });
});

describe('crash recovery over stdio: a killed server process', () => {
  it('closes the connection, the handler restarts it, and the new server answers', async () => {
    const clock = { now: 0 };
    const { messages, errorHandler } = handler(clock);
    const settings = { catalog: { paths: [path.join(REPO_ROOT, 'examples', 'catalog')] } };
    const rule = 'title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    Image|endswith: x.exe\n  condition: selection\ntags: [attack.t1059.001]\n';
    const uri = pathToFileURL(path.join(REPO_ROOT, 'crash-test.yml')).href;
    let session = await LspSession.start(settings);
    let restarts = 0;
    for (let crash = 1; crash <= 2; crash++) {
      await session.waitForStatus((s) => s.state === 'ready');
      const closed = new Promise<void>((resolve) => session.connection.onClose(() => resolve()));
      session.child.kill('SIGKILL');
      await closed;
      clock.now += 1000;
      const decision = await errorHandler.closed();
      assert.equal(decision.action, 2, 'the handler asks for a restart');
      // The dead process's pipes, and the part of a message it may have been writing, would keep this
      // test process alive.
      session.release();
      // What vscode-languageclient does on Restart: start the server again, re-open the documents.
      session = await LspSession.start(settings);
      restarts++;
      await session.open(uri, rule);
      const hover = await session.hover(uri, rule, 'Image|endswith', 2);
      assert.match(hover?.contents.value ?? '', /Image/);
    }
    await session.stop();
    report(`crash recovery: server killed twice, restarted ${restarts} times, ${messages.length} message to the user`);
    assert.equal(messages.length, 1);
  });
});
