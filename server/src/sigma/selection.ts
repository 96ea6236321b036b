import { fieldItem, keywordItem, type SigmaTest } from './detectionItem';

/**
 * One named search identifier of `detection:`. A map ANDs its items; a list of maps ORs the maps
 * (`branch` tells them apart); a list of plain values is a keyword list.
 */
export interface Selection {
  name: string;
  shape: 'map' | 'list-of-maps' | 'keywords' | 'invalid';
  tests: SigmaTest[];
  problems: { message: string; key?: string }[];
}

/** Bounds the items read per selection so an alias bomb cannot make us walk millions of nodes. */
const MAX_ITEMS = 10_000;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function mapTests(name: string, map: Record<string, unknown>, branch: number, scope: readonly string[] | undefined, out: Selection): void {
  for (const [key, value] of Object.entries(map)) {
    const result = fieldItem({ selection: name, key, branch }, key, value, scope);
    for (const test of result.tests) out.tests.push(test);
    for (const message of result.problems) out.problems.push({ message, key });
  }
}

export function readSelection(name: string, value: unknown, scope?: readonly string[]): Selection {
  const out: Selection = { name, shape: 'invalid', tests: [], problems: [] };
  if (isMap(value)) {
    out.shape = 'map';
    mapTests(name, value, 0, scope, out);
    return out;
  }
  if (!Array.isArray(value)) {
    if (typeof value === 'string' || typeof value === 'number') {
      out.shape = 'keywords';
      out.tests.push(...keywordItem({ selection: name, key: 'keywords', branch: 0 }, value).tests);
    } else {
      out.problems.push({ message: `selection '${name}' is empty or not a map or list` });
    }
    return out;
  }
  if (value.length > MAX_ITEMS) {
    out.problems.push({ message: `selection '${name}' has ${value.length} items; only the first ${MAX_ITEMS} were read` });
  }
  const items = value.slice(0, MAX_ITEMS);
  if (items.every(isMap)) {
    out.shape = 'list-of-maps';
    items.forEach((map, branch) => mapTests(name, map, branch, scope, out));
    return out;
  }
  out.shape = 'keywords';
  const result = keywordItem({ selection: name, key: 'keywords', branch: 0 }, items);
  out.tests.push(...result.tests);
  out.problems.push(...result.problems.map((message) => ({ message })));
  return out;
}
