import type { SyntaxNode } from '@lezer/common';

/**
 * Reading values out of a @lezer/python tree: string literals (escapes resolved as Python does),
 * literal collections, module constants and local variables, and the event field an expression reads
 * (`event.get("a")`, `event["a"]["b"]`, `deep_get(event, "a", "b")`, `event.deep_get(…)`, `event.udm(…)`,
 * through `.lower()`-style wrappers).
 */

/** What a name stands for while a function body is evaluated. */
export type Binding =
  | { kind: 'expr'; node: SyntaxNode; env: Env } // local `x = …` or a module constant
  | { kind: 'values'; values: string[] } // the loop variable of `any(s in f for s in LIST)`
  | { kind: 'event' }; // the rule's event parameter

export interface Env {
  readonly names: ReadonlyMap<string, Binding>;
}

export function bind(env: Env, name: string, binding: Binding): Env {
  const names = new Map(env.names);
  names.set(name, binding);
  return { names };
}

export const MAX_RESOLVE_DEPTH = 24;

export interface PySource {
  text: string;
}

export function textOf(src: PySource, node: SyntaxNode): string {
  return src.text.slice(node.from, node.to);
}

/** Child nodes without comments (lezer keeps them in the tree, even inside a multi-line set). */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '',
};

/** A Python string literal's value: prefix, quotes and (unless raw) escapes resolved. */
export function decodeString(literal: string): string {
  const prefix = /^[a-zA-Z]*/.exec(literal)?.[0] ?? '';
  const raw = /r/i.test(prefix);
  let body = literal.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body.slice(0, 1);
  body = body.slice(quote.length, body.endsWith(quote) && body.length >= 2 * quote.length ? -quote.length : undefined);
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (SIMPLE_ESCAPES[next] !== undefined) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (hex > 0 && /^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + 2 + hex)) && i + 2 + hex <= body.length) {
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 2 + hex), 16));
      i += 1 + hex;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length;
    } else {
      out += '\\'; // unknown escapes keep their backslash, as Python does
    }
  }
  return out;
}

export interface Args {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  /** `f(expr for var in iter)` */
  generator?: { expr: SyntaxNode; variable: string; iter: SyntaxNode };
}

/** Splits an ArgList into positional, keyword and generator arguments. */
export function argsOf(src: PySource, argList: SyntaxNode | null): Args {
  const args: Args = { positional: [], keywords: new Map() };
  if (!argList) return args;
  const parts = children(argList).filter((c) => c.name !== '(' && c.name !== ')');
  let group: SyntaxNode[] = [];
  const flush = (): void => {
    const forAt = group.findIndex((n) => n.name === 'for');
    const [first, second, third] = group;
    if (forAt > 0 && group[forAt + 1] && group[forAt + 3]) {
      args.generator = { expr: group[0] as SyntaxNode, variable: textOf(src, group[forAt + 1] as SyntaxNode), iter: group[forAt + 3] as SyntaxNode };
    } else if (first && second?.name === 'AssignOp' && third) {
      args.keywords.set(textOf(src, first), third);
    } else if (first && group.length === 1) {
      args.positional.push(first);
    }
    group = [];
  };
  for (const part of parts) {
    if (part.name === ',') flush();
    else group.push(part);
  }
  flush();
  return args;
}

const CASE_WRAPPERS = new Set(['lower', 'upper', 'strip', 'lstrip', 'rstrip', 'casefold']);

function joinPath(base: string, keys: string[]): string {
  return [base, ...keys].filter((k) => k !== '').join('.');
}

/**
 * The event field an expression reads, as a dotted path ('' is the event itself), or undefined.
 * Subscripts by number (`["resources"][0]`) are skipped: the path names the field, not the element.
 */
export function fieldOf(src: PySource, node: SyntaxNode, env: Env, depth = 0): string | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  const kids = children(node);
  switch (node.name) {
    case 'VariableName': {
      const b = env.names.get(textOf(src, node));
      if (b?.kind === 'event') return '';
      return b?.kind === 'expr' ? fieldOf(src, b.node, b.env, depth + 1) : undefined;
    }
    case 'ParenthesizedExpression':
      return kids[1] ? fieldOf(src, kids[1], env, depth + 1) : undefined;
    case 'MemberExpression': {
      const [obj, open, key] = kids;
      if (!obj || open?.name !== '[' || !key) return undefined;
      const base = fieldOf(src, obj, env, depth + 1);
      if (base === undefined) return undefined;
      if (key.name === 'Number') return base;
      const keyValue = stringValue(src, key, env, depth + 1);
      return keyValue === undefined ? undefined : joinPath(base, [keyValue]);
    }
    case 'BinaryExpression': // `event.get("x") or ""`
      return kids[1]?.name === 'or' && kids[0] ? fieldOf(src, kids[0], env, depth + 1) : undefined;
    case 'CallExpression':
      return callField(src, node, env, depth + 1);
    default:
      return undefined;
  }
}

function callField(src: PySource, node: SyntaxNode, env: Env, depth: number): string | undefined {
  const [callee, argList] = children(node);
  if (!callee) return undefined;
  const args = argsOf(src, argList ?? null);
  const strings = (nodes: SyntaxNode[]): string[] | undefined => {
    const keys = nodes.map((n) => stringValue(src, n, env, depth));
    return keys.every((k): k is string => k !== undefined) ? keys : undefined;
  };
  if (callee.name === 'VariableName') {
    const name = textOf(src, callee);
    const [target, ...rest] = args.positional;
    if ((name === 'deep_get' || name === 'deep_walk') && target) {
      const base = fieldOf(src, target, env, depth);
      const keys = strings(rest);
      return base === undefined || !keys ? undefined : joinPath(base, keys);
    }
    if (name === 'str' && target) return fieldOf(src, target, env, depth);
    return undefined;
  }
  if (callee.name !== 'MemberExpression') return undefined;
  const [obj, dot, prop] = children(callee);
  if (!obj || dot?.name !== '.' || !prop) return undefined;
  const method = textOf(src, prop);
  if (CASE_WRAPPERS.has(method)) return fieldOf(src, obj, env, depth);
  const base = fieldOf(src, obj, env, depth);
  if (base === undefined) return undefined;
  if (method === 'get' && args.positional[0]) {
    const keys = strings([args.positional[0]]);
    return keys ? joinPath(base, keys) : undefined;
  }
  if ((method === 'deep_get' || method === 'deep_walk' || method === 'udm') && base === '') {
    const keys = strings(args.positional);
    return keys && keys.length > 0 ? joinPath(base, keys) : undefined;
  }
  return undefined;
}

/** A single string constant (literal, joined literals, or a name bound to one). */
export function stringValue(src: PySource, node: SyntaxNode, env: Env, depth = 0): string | undefined {
  const values = literalValues(src, node, env, depth);
  return values?.length === 1 && (node.name === 'String' || node.name === 'ContinuedString' || node.name === 'VariableName')
    ? values[0]
    : undefined;
}

/**
 * The strings a literal expression stands for: a string or number, a tuple/list/set (also inside
 * set()/frozenset()/list()/tuple()), a dict's keys, names bound to those, `a + b` of them.
 */
export function literalValues(src: PySource, node: SyntaxNode, env: Env, depth = 0): string[] | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  const kids = children(node);
  switch (node.name) {
    case 'String':
      return [decodeString(textOf(src, node))];
    case 'ContinuedString':
      return [kids.map((k) => decodeString(textOf(src, k))).join('')];
    case 'Number':
      return [textOf(src, node)];
    case 'Boolean':
      return [textOf(src, node) === 'True' ? 'true' : 'false'];
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'SetExpression':
      return collect(src, kids.filter((k) => !['(', ')', '[', ']', '{', '}', ','].includes(k.name)), env, depth);
    case 'DictionaryExpression':
      return collect(src, kids.filter((_, i) => i > 0 && kids[i + 1]?.name === ":"), env, depth);
    case 'ParenthesizedExpression':
      return kids[1] ? literalValues(src, kids[1], env, depth + 1) : undefined;
    case 'VariableName': {
      const b = env.names.get(textOf(src, node));
      if (b?.kind === 'values') return b.values;
      return b?.kind === 'expr' ? literalValues(src, b.node, b.env, depth + 1) : undefined;
    }
    case 'CallExpression': {
      const [callee, argList] = kids;
      const name = callee ? textOf(src, callee) : '';
      const arg = argsOf(src, argList ?? null).positional[0];
      if (!['set', 'frozenset', 'list', 'tuple'].includes(name)) return undefined;
      return arg ? literalValues(src, arg, env, depth + 1) : [];
    }
    case 'BinaryExpression': {
      const [left, op, right] = kids;
      if (op?.name !== 'ArithOp' || textOf(src, op) !== '+' || !left || !right) return undefined;
      const a = literalValues(src, left, env, depth + 1);
      const b = literalValues(src, right, env, depth + 1);
      if (!a || !b) return undefined;
      const strings = left.name === 'String' || right.name === 'String';
      return strings && a.length === 1 && b.length === 1 ? [`${a[0]}${b[0]}`] : [...a, ...b];
    }
    default:
      return undefined;
  }
}

function collect(src: PySource, nodes: SyntaxNode[], env: Env, depth: number): string[] | undefined {
  const out: string[] = [];
  for (const n of nodes) {
    const v = literalValues(src, n, env, depth + 1);
    if (!v) return undefined;
    out.push(...v);
  }
  return out;
}
