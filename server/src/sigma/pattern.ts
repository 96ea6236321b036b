import type { Op } from '../catalog/record';

/**
 * Sigma value patterns. A value is literal text and wildcards (`*`, `?`); `\*`, `\?` are literal and
 * `\\` before a wildcard is one literal backslash, while any other backslash is literal as written
 * (Windows paths). The contains/startswith/endswith modifiers add wildcards as pattern parts, not as
 * characters: `startswith: 'C:\Windows\'` must not become the escaped star `C:\Windows\*`.
 */
type Part = { wild: '*' | '?' } | { text: string };

const WILDCARD = /[*?]/;

export function patternParts(value: string): Part[] {
  // Most values have no wildcard, and then no escape applies either (a backslash is literal unless
  // it comes before a wildcard): one part, without going through the value a character at a time.
  if (!WILDCARD.test(value)) return value ? [{ text: value }] : [];
  const parts: Part[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const next = value[i + 1];
    if (ch === '\\' && (next === '*' || next === '?')) {
      text += next;
      i++;
    } else if (ch === '\\' && next === '\\' && (value[i + 2] === '*' || value[i + 2] === '?')) {
      text += '\\';
      i++;
    } else if (ch === '*' || ch === '?') {
      flush();
      parts.push({ wild: ch });
    } else {
      text += ch;
    }
  }
  flush();
  return parts;
}

function render(parts: Part[]): string {
  return parts
    .map((part, i) => {
      if ('wild' in part) return part.wild;
      const escaped = part.text.replace(/[*?]/g, (c) => `\\${c}`);
      const beforeWild = parts[i + 1] && 'wild' in (parts[i + 1] as Part);
      return beforeWild && escaped.endsWith('\\') ? `${escaped}\\` : escaped;
    })
    .join('');
}

export type MatchModifier = 'contains' | 'startswith' | 'endswith' | undefined;

const MODIFIER_OPS = { contains: 'contains', startswith: 'starts_with', endswith: 'ends_with' } as const;

/** The contract's operator and value for a Sigma value under a match modifier. */
export function classifySigmaValue(value: string, modifier: MatchModifier): { op: Op; value: string } {
  // no wildcard and so no escape (patternParts): the modifier alone decides, as the parts below would
  if (value !== '' && !WILDCARD.test(value)) return { op: modifier ? MODIFIER_OPS[modifier] : 'eq', value };
  const parts = patternParts(value);
  if (modifier === 'contains' || modifier === 'endswith') parts.unshift({ wild: '*' });
  if (modifier === 'contains' || modifier === 'startswith') parts.push({ wild: '*' });
  const collapsed = parts.filter((part, i) => !('wild' in part && part.wild === '*' && (parts[i - 1] as { wild?: string } | undefined)?.wild === '*'));
  const wilds = collapsed.map((p, i) => ('wild' in p ? i : -1)).filter((i) => i >= 0);
  const textOf = (list: Part[]) => list.map((p) => ('text' in p ? p.text : '')).join('');
  if (wilds.length === 0) return { op: 'eq', value: textOf(collapsed) };
  const last = collapsed.length - 1;
  const onlyEdgeStars = wilds.every((i) => (i === 0 || i === last) && (collapsed[i] as { wild: string }).wild === '*');
  const core = collapsed.filter((p) => 'text' in p);
  if (!onlyEdgeStars || core.length === 0) return { op: 'wildcard', value: render(collapsed) };
  const leading = wilds.includes(0);
  const trailing = wilds.includes(last);
  const op: Op = leading && trailing ? 'contains' : leading ? 'ends_with' : 'starts_with';
  return { op, value: textOf(core) };
}
