import { strict as assert } from 'node:assert';
import { serialize, deserialize } from 'node:v8';
import { describe, it } from 'node:test';
import type { DiscoveredFile } from '../../server/src/catalog/discovery';
import { parseText, type FileOutcome } from '../../server/src/catalog/indexer';
import { forSending, received } from '../../server/src/catalog/pool/wire';
import { noisyRule } from '../helpers/noisyRule';

/** Two rules in one file: one outcome with two records, each with its copy of the file's path. */
const SIGMA = `${noisyRule('555555555561')}---\n${noisyRule('555555555562')}`;

describe('outcomes between a parse thread and the pool', () => {
  const file: DiscoveredFile = { root: '/catalog', absPath: '/catalog/rules/wire.yml', relPath: 'rules/wire.yml' };

  it('travel without their paths and come back as they were, properties in the same order', () => {
    const outcome = parseText(file, SIGMA, {});
    assert.equal(outcome.rules.length, 2);
    const before = JSON.stringify(outcome);
    const wire = serialize(forSending(structuredClone(outcome)));
    assert.ok(!wire.includes('/catalog/rules/wire.yml'), 'no path in the message');
    const back = received(deserialize(wire), file);
    assert.equal(JSON.stringify(back), before);
    assert.equal(back.file, file);
  });

  it('a record with another file, or none, keeps it', () => {
    const outcome: FileOutcome = {
      file, vendor: 'sigma', rules: [
        { vendor: 'sigma', id: 'a', title: 'a', path: 'rules/wire.yml', language: 'sigma', techniques: [], platforms: [], events: [], predicates: [], problems: [], file: '/elsewhere/x.yml' },
        { vendor: 'sigma', id: 'b', title: 'b', path: 'rules/wire.yml', language: 'sigma', techniques: [], platforms: [], events: [], predicates: [], problems: [] },
      ],
    };
    const back = received(deserialize(serialize(forSending(structuredClone(outcome)))), file);
    assert.equal(back.rules[0]?.file, '/elsewhere/x.yml');
    assert.ok(!('file' in (back.rules[1] ?? {})));
  });
});
