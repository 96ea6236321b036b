import type { SyntaxNode } from '@lezer/common';
import type { Op } from '../../record';
import { and, FALSE, not, OPAQUE, or, test, TRUE, type Cond } from './cond';
import {
  argsOf, bind, children, fieldOf, literalValues, MAX_RESOLVE_DEPTH, textOf, type Env, type PySource,
} from './pythonValues';

/**
 * A Python boolean expression of a Panther rule as a Cond: comparisons of an event field with
 * literals (`==`, `!=`, `in`, `not in`, `is None`, `<`…), `"x" in field` (contains), `.startswith`/
 * `.endswith` (also with tuples), `re.search(p, field)`, `any(s in field for s in LIST)`, a field
 * alone (truthy: is_not_null), and/or/not. Calls to same-file functions are inlined through
 * `inline`; anything else is OPAQUE with a problem naming the helper and its line.
 */

export interface CondContext extends PySource {
  problem(message: string, node: SyntaxNode): void;
  /** Evaluates a same-file function called with these arguments, or undefined if there is none. */
  inline(name: string, args: SyntaxNode[], env: Env, depth: number): Cond | undefined;
}

const RANGE: Record<string, Op> = { '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };
const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const REGEX_CALLS = new Set(['search', 'match', 'fullmatch']);

export function condOf(ctx: CondContext, node: SyntaxNode, env: Env, depth = 0): Cond {
  if (depth > MAX_RESOLVE_DEPTH * 4) {
    ctx.problem('expression nested too deeply', node);
    return OPAQUE;
  }
  const kids = children(node);
  switch (node.name) {
    case 'Boolean':
      return textOf(ctx, node) === 'True' ? TRUE : FALSE;
    case 'None':
      return FALSE;
    case 'ParenthesizedExpression':
      return kids[1] ? condOf(ctx, kids[1], env, depth + 1) : OPAQUE;
    case 'UnaryExpression':
      return kids[0]?.name === 'not' && kids[1] ? not(condOf(ctx, kids[1], env, depth + 1)) : OPAQUE;
    case 'BinaryExpression':
      return binary(ctx, node, kids, env, depth);
    case 'CallExpression':
      return call(ctx, node, env, depth);
    case 'VariableName': {
      const b = env.names.get(textOf(ctx, node));
      if (b?.kind === 'expr') return condOf(ctx, b.node, b.env, depth + 1);
      return truthy(ctx, node, env);
    }
    default:
      return truthy(ctx, node, env);
  }
}

/** A field used as a boolean: present and non-empty. */
function truthy(ctx: CondContext, node: SyntaxNode, env: Env): Cond {
  const field = fieldOf(ctx, node, env);
  if (field) return test({ sourceField: field, op: 'is_not_null', values: [] });
  ctx.problem(`expression not understood: ${textOf(ctx, node).slice(0, 60)}`, node);
  return OPAQUE;
}

function binary(ctx: CondContext, node: SyntaxNode, kids: SyntaxNode[], env: Env, depth: number): Cond {
  const left = kids[0];
  const right = kids[kids.length - 1];
  if (!left || !right || kids.length < 3) return OPAQUE;
  const op = kids.slice(1, -1).map((k) => textOf(ctx, k)).join(' ');
  if (op === 'and') return and(condOf(ctx, left, env, depth + 1), condOf(ctx, right, env, depth + 1));
  if (op === 'or') return or(condOf(ctx, left, env, depth + 1), condOf(ctx, right, env, depth + 1));
  // `PATTERN.search(cmd) is not None`, `helper(event) is None`: the test is the call itself.
  if ((op === 'is not' || op === 'is') && right.name === 'None' && !fieldOf(ctx, left, env)) {
    const inner = condOf(ctx, left, env, depth + 1);
    return op === 'is not' ? inner : not(inner);
  }
  const result = compare(ctx, op, left, right, env) ?? compare(ctx, FLIP[op] ?? op, right, left, env, true);
  if (result) return result;
  ctx.problem(`comparison not understood: ${textOf(ctx, node).slice(0, 60)}`, node);
  return OPAQUE;
}

/** `field OP literal`; with `swapped`, the literal was on the left (`"x" in field` is contains). */
function compare(ctx: CondContext, op: string, fieldNode: SyntaxNode, valueNode: SyntaxNode, env: Env, swapped = false): Cond | undefined {
  const field = fieldOf(ctx, fieldNode, env);
  if (!field) return undefined;
  if (valueNode.name === 'None' && (op === '==' || op === 'is' || op === '!=' || op === 'is not')) {
    const present = op === '!=' || op === 'is not';
    return test({ sourceField: field, op: present ? 'is_not_null' : 'is_null', values: [] });
  }
  const values = literalValues(ctx, valueNode, env);
  if (!values) return undefined;
  const negated = op === '!=' || op === 'not in' || op === 'is not';
  if (op === 'in' || op === 'not in') {
    return test({ sourceField: field, op: swapped ? 'contains' : 'in', values, negated });
  }
  if (op === '==' || op === '!=' || op === 'is' || op === 'is not') {
    return test({ sourceField: field, op: 'eq', values, negated });
  }
  const range = RANGE[op];
  return range && values.length === 1 ? test({ sourceField: field, op: range, values }) : undefined;
}

function call(ctx: CondContext, node: SyntaxNode, env: Env, depth: number): Cond {
  const [callee, argList] = children(node);
  if (!callee) return OPAQUE;
  const args = argsOf(ctx, argList ?? null);
  if (callee.name === 'MemberExpression') {
    const [obj, , prop] = children(callee);
    const method = prop ? textOf(ctx, prop) : '';
    if (obj && (method === 'startswith' || method === 'endswith')) {
      const field = fieldOf(ctx, obj, env);
      const values = args.positional[0] ? literalValues(ctx, args.positional[0], env) : undefined;
      if (field && values) return test({ sourceField: field, op: method === 'startswith' ? 'starts_with' : 'ends_with', values });
    }
    if (obj && REGEX_CALLS.has(method)) {
      const regex = regexCall(ctx, obj, args.positional, env);
      if (regex) return regex;
    }
  }
  if (callee.name === 'VariableName') {
    const name = textOf(ctx, callee);
    if ((name === 'any' || name === 'all') && args.generator) return generator(ctx, name, args.generator, env, depth);
    if (name === 'bool' && args.positional[0]) return condOf(ctx, args.positional[0], env, depth + 1);
    const inlined = ctx.inline(name, args.positional, env, depth + 1);
    if (inlined) return inlined;
  }
  if (fieldOf(ctx, node, env)) return truthy(ctx, node, env);
  ctx.problem(`helper ${textOf(ctx, callee)}() not visible to the catalog`, node);
  return OPAQUE;
}

/** `re.search(PATTERN, field)` or `COMPILED.search(field)` where COMPILED = re.compile(PATTERN). */
function regexCall(ctx: CondContext, obj: SyntaxNode, positional: SyntaxNode[], env: Env): Cond | undefined {
  let pattern: SyntaxNode | undefined;
  let target: SyntaxNode | undefined;
  if (textOf(ctx, obj) === 're') [pattern, target] = positional;
  else {
    target = positional[0];
    const b = obj.name === 'VariableName' ? env.names.get(textOf(ctx, obj)) : undefined;
    if (b?.kind === 'expr' && b.node.name === 'CallExpression' && textOf(ctx, b.node).startsWith('re.compile(')) {
      pattern = argsOf(ctx, children(b.node)[1] ?? null).positional[0];
    }
  }
  const field = target ? fieldOf(ctx, target, env) : undefined;
  const values = pattern ? literalValues(ctx, pattern, env) : undefined;
  return field && values ? test({ sourceField: field, op: 'regex_match', values }) : undefined;
}

/** `any(s in field for s in LIST)`: the loop variable stands for LIST's values; `all(…)` sets `all`. */
function generator(ctx: CondContext, name: string, gen: { expr: SyntaxNode; variable: string; iter: SyntaxNode }, env: Env, depth: number): Cond {
  const values = literalValues(ctx, gen.iter, env);
  if (!values) {
    ctx.problem(`${name}() over ${textOf(ctx, gen.iter).slice(0, 40)} not understood`, gen.iter);
    return OPAQUE;
  }
  const inner = condOf(ctx, gen.expr, bind(env, gen.variable, { kind: 'values', values }), depth + 1);
  if (name === 'all' && inner.k === 'test') return test({ ...inner.test, all: true });
  return inner;
}
