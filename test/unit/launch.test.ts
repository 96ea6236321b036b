import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SERVER_ENV, serverEnv } from '../../server/src/lsp/launch';

describe('the server\'s environment (launch.ts)', () => {
  it('adds the malloc arena cap where the editor\'s environment has none', () => {
    assert.deepEqual(serverEnv({ PATH: '/usr/bin' }), { MALLOC_ARENA_MAX: '2' });
    assert.deepEqual(SERVER_ENV, { MALLOC_ARENA_MAX: '2' });
  });

  it('leaves a value the user set to the user', () => {
    assert.deepEqual(serverEnv({ MALLOC_ARENA_MAX: '8' }), {});
    assert.deepEqual(serverEnv({ MALLOC_ARENA_MAX: '' }), {}, 'set, even to nothing, is the user\'s choice');
  });
});
