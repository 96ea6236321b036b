import type { Span } from '../../sigma/document';

/** One text edit by offsets: replace [start, end) with newText. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** A quick fix attached to a finding; the LSP turns it into a code action. */
export interface Fix {
  title: string;
  edits: OffsetEdit[];
  preferred?: boolean;
}

export type ValidationSeverity = 'error' | 'warning' | 'information' | 'hint';

/** The validator's findings have the shape of diagnose's Finding (plus fixes). */
export interface ValidationFinding {
  span: Span;
  severity: ValidationSeverity;
  code: string;
  message: string;
  fixes?: Fix[];
}

export function finding(span: Span, severity: ValidationSeverity, code: string, message: string, fixes?: Fix[]): ValidationFinding {
  return { span, severity, code, message, ...(fixes && fixes.length ? { fixes } : {}) };
}

/** Levenshtein distance, case-insensitive, bounded by `max` (returns max + 1 beyond it) for speed. */
export function distance(a: string, b: string, max = 4): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      const value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[t.length] ?? max + 1;
}

/** The closest names to `name` (within a distance that scales with its length), best first. */
export function closest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.min(4, Math.floor(name.length / 3)));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0 : distance(name, c, max);
    if (d <= max) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([c]) => c);
}
