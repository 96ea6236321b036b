// Cold index, warm start and the read+parse floor, each in a fresh process (cold JIT, as after a
// window reload), the median of a few runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function runJson(script, args, execArgv = []) {
  const out = execFileSync(process.execPath, [...execArgv, script, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `floorArgv`: the V8 flags of the floor's process, those of the index's (INDEX_V8_FLAGS) that make the
 * floor faster too (see floorFlags in run.mjs).
 */
export function indexBench(bundle, dir, runs, floorArgv = []) {
  const floor = [];
  const cold = [];
  const warm = [];
  const floorCpu = [];
  const coldCpu = [];
  const coldFaults = [];
  const warmFaults = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const f = runJson(path.join(HERE, 'floor.mjs'), [dir], floorArgv);
    floor.push(f.ms);
    floorCpu.push(f.cpuMs);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dl-bench-cache-'));
    const c = runJson(bundle, [dir, cacheDir]);
    cold.push(c.ms);
    coldCpu.push(c.cpuMs);
    coldFaults.push(c.pageFaults);
    const w = runJson(bundle, [dir, cacheDir]);
    if (w.parsed !== 0 || w.rules !== c.rules) throw new Error(`warm start re-parsed ${w.parsed} files (rules ${w.rules} vs ${c.rules}): ${w.logs.join('; ')}`);
    warm.push(w.ms);
    warmFaults.push(w.pageFaults);
    last = c;
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const coldMs = median(cold);
  return {
    files: last.files, rules: last.rules, parseThreads: last.parseThreads,
    floorMs: median(floor), coldMs, warmMs: median(warm),
    coldOverFloor: coldMs / median(floor), warmOverCold: median(warm) / coldMs,
    usPerRule: (coldMs * 1000) / last.rules,
    // CPU time of all threads: what the index costs regardless of other load on the machine
    floorCpuMs: median(floorCpu), coldCpuMs: median(coldCpu), coldCpuOverFloorCpu: median(coldCpu) / median(floorCpu),
    // minor page faults of the whole process while it indexed (every thread)
    coldPageFaults: median(coldFaults), warmPageFaults: median(warmFaults),
    runs: { floor, cold, warm, floorCpu, coldCpu, coldFaults, warmFaults },
  };
}

/** An index on the calling thread alone, for comparison (workers = 0: no parse thread, promise-based reads). */
export function singleThreadCold(bundle, dir) {
  return runJson(bundle, [dir, '-', '0']).ms;
}
