/** The condition tree of a Sigma rule. Positions are offsets into the condition string. */
export type ConditionNode =
  | { type: 'and' | 'or'; children: ConditionNode[]; start: number; end: number }
  | { type: 'not'; child: ConditionNode; start: number; end: number }
  | { type: 'ref'; name: string; start: number; end: number }
  | { type: 'of'; quantifier: 'all' | 'any'; pattern: string; start: number; end: number };

export interface ConditionError {
  message: string;
  start: number;
  end: number;
}

export type ConditionResult = { ok: true; tree: ConditionNode } | { ok: false; error: ConditionError };

/** Does a selection name match an `x of` pattern (`filter_*`, `them`)? */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern === 'them') return !name.startsWith('_');
  if (!pattern.includes('*')) return pattern === name;
  const parts = pattern.split('*');
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === 0) {
      if (!name.startsWith(part)) return false;
      at = part.length;
      continue;
    }
    if (i === parts.length - 1) return name.length - part.length >= at && name.endsWith(part);
    const found = name.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}
