// The targets of issue 7, each with its measured value and by how much it is missed, and the table.
const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function row(name, measured, target, unit, better = 'lower') {
  const met = better === 'lower' ? measured <= target : measured >= target;
  const missBy = met ? '' : `missed by ${fmt(measured / target, 2)}×`;
  return { name, measured: Number(measured.toFixed(3)), target, unit, met, missBy };
}

export function targetRows(r) {
  const full = r.index[100];
  const rows = [
    row('cold index / single-threaded floor (100%)', full.coldOverFloor, 1.2, '×'),
    row('cost per rule spread 25→100%', r.index.perRuleSpread * 100, 20, '%'),
    row('warm start / cold index (100%)', full.warmOverCold * 100, 10, '%'),
    row('server peak RSS, whole catalog', r.lsp.rss.peakMb, 250, 'MB'),
    row('p99 hover', r.lsp.hover.p99, 5, 'ms'),
    row('p99 diagnostics after an edit', r.lsp.diagnostics.p99, 20, 'ms'),
    row('p99 code actions', r.lsp.codeActions.p99, 20, 'ms'),
    row('p99 hover during a cold index', r.lsp.hoverDuringIndex.p99, 50, 'ms'),
    row('one changed file → diagnostics refreshed (max)', r.lsp.incremental.diagnostics.max, 50, 'ms'),
  ];
  if (r.peer) {
    rows.push(row('our p50 diagnostics / yaml-language-server p50', r.lsp.diagnostics.p50 / r.peer.diagnostics.p50, 1, '×'));
    rows.push(row('our p99 diagnostics / yaml-language-server p99', r.lsp.diagnostics.p99 / r.peer.diagnostics.p99, 1, '×'));
  }
  return rows;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function printTable(r) {
  console.log('\nIndex (median of runs; fresh process each)');
  console.log(table(['corpus', 'files', 'rules', 'floor ms', 'cold ms', 'cold/floor', 'cpu cold/floor', 'µs/rule', 'warm ms', 'warm/cold'],
    [25, 50, 100].map((p) => {
      const x = r.index[p];
      return [`${p}%`, x.files, x.rules, fmt(x.floorMs, 0), fmt(x.coldMs, 0), fmt(x.coldOverFloor, 2), fmt(x.coldCpuOverFloorCpu, 2), fmt(x.usPerRule, 0), fmt(x.warmMs, 0), `${fmt(x.warmOverCold * 100)}%`];
    })));
  const whole = r.index[100];
  if (whole.parseThreads !== undefined) console.log(`parse threads: ${whole.parseThreads} (one per core, at most four)`);
  console.log(`cold index on the calling thread alone (100%, workers = 0, promise-based reads): ${fmt(r.index.singleThreadColdMs, 0)} ms`);
  if (whole.coldPageFaults !== undefined) console.log(`page faults (fresh 4 KB pages, every thread), 100%: cold ${whole.coldPageFaults}, warm ${whole.warmPageFaults}`);
  if (r.index.floorPerRuleSpread !== undefined) {
    console.log(`cost per rule spread 25→100%: index ${fmt(r.index.perRuleSpread * 100, 0)}%, floor ${fmt(r.index.floorPerRuleSpread * 100, 0)}% (same runs)`);
  }
  for (const [name, s] of [['index', r.index.scaling], ['floor', r.index.floorScaling]]) {
    if (!s) continue;
    const added = s.added.map((a) => `${a.from}→${a.to}% ${fmt(a.usPerRule, 0)} µs`).join(', ');
    console.log(`${name}: each rule added costs ${added} (spread ${fmt(s.addedSpread * 100, 0)}%); line through the three sizes: ${fmt(s.fixedMs, 0)} ms + ${fmt(s.slopeUsPerRule, 0)} µs per rule`);
  }
  const l = r.lsp;
  const lat = (name, s, extra = '') => [name, s.n, fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 2), extra];
  console.log(`\nLanguage server, ${l.catalogRules} rules in the catalog (ms)`);
  console.log(table(['request', 'n', 'p50', 'p99', 'max', ''], [
    lat('first hover on each open rule\'s tag', l.firstHover, `server idle ${fmt(l.firstHover.idleAfterMs, 0)} ms later`),
    lat('hover (then)', l.hover, `${l.hover.empty} empty`),
    lat('diagnostics after edit', l.diagnostics),
    lat('code actions', l.codeActions, `${l.codeActions.actions} actions`),
    ...(l.codeActions.resolve ? [lat('code action picked → its edit', l.codeActions.resolve, 'codeAction/resolve')] : []),
    ...(l.completion ? [lat('completion', l.completion, `${l.completion.items} items`)] : []),
    lat('hover during cold index', l.hoverDuringIndex, `ready after ${fmt(l.coldReadyMs, 0)} ms`),
    lat('changed file → catalog', l.incremental.catalog),
    lat('changed file → diagnostics', l.incremental.diagnostics),
    ...(r.peer ? [lat(`${r.peer.server} diagnostics`, r.peer.diagnostics)] : []),
  ]));
  console.log(`server RSS: after index ${fmt(l.rss.afterIndexMb, 0)} MB, end ${fmt(l.rss.endMb, 0)} MB, peak ${fmt(l.rss.peakMb, 0)} MB; warm server ready in ${fmt(l.warmServer.readyMs, 0)} ms (peak ${fmt(l.warmServer.peakMb, 0)} MB; median of ${l.warmServer.runs.length}: ${l.warmServer.runs.join(', ')} ms)`);
  console.log('\nTargets');
  console.log(table(['target', 'measured', 'goal', 'unit', 'met', ''], r.targets.map((t) => [t.name, fmt(t.measured, 2), t.target, t.unit, t.met ? 'yes' : 'NO', t.missBy])));
}
