import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Problem } from '../../record';
import { and, FALSE, not, OPAQUE, or, size, type Cond } from './cond';
import { condOf, type CondContext } from './pythonCond';
import { bind, children, textOf, type Env } from './pythonValues';

/**
 * The detection logic of a Panther Python rule: the `rule(event)` (or `policy(resource)`) function,
 * parsed with @lezer/python and evaluated symbolically into a Cond.
 * - `if C: return False` is a guard: the rule fires only when C is false → `not C and <rest>`.
 * - `if C: <returns X>` → `(C and X) or <rest>`; the `not C` of the rest path is dropped, which is
 *   exact for `return True` and keeps each test once.
 * - `x = …` binds a local read later; module-level constants and same-file functions are resolved.
 * The evaluation is bounded in size and inlining depth so a hostile file cannot blow up.
 */

export interface PythonAnalysis {
  cond: Cond;
  problems: Problem[];
  /** False when no rule()/policy() function was found. */
  found: boolean;
}

const MAX_COND_SIZE = 20000;
const MAX_INLINE_DEPTH = 6;
const MAX_BLOCK_EVALUATIONS = 2000;

export function analyzePython(text: string, fileName: string): PythonAnalysis {
  const problems: Problem[] = [];
  const depth = bracketDepth(text);
  if (depth > MAX_BRACKET_DEPTH) return unreadable(fileName, `brackets nested ${depth} deep (limit ${MAX_BRACKET_DEPTH})`);
  const tree = parser.parse(text);
  if (!walkable(tree)) return unreadable(fileName, 'its syntax tree is malformed');
  const module = scanModule(text, tree);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const evaluator = new Evaluator(text, module, (message, node) => {
    const line = lineOf(node.from);
    problems.push({ message: `${fileName} line ${line}: ${message}`, line });
  });
  const entry = module.functions.get('rule') ?? module.functions.get('policy');
  if (!entry) return { cond: OPAQUE, problems: [{ message: `${fileName}: no rule() or policy() function` }], found: false };
  const param = paramNames(text, entry)[0] ?? 'event';
  const env = bind(module.env, param, { kind: 'event' });
  return { cond: evaluator.body(entry, env, 0), problems, found: true };
}

/**
 * @lezer/python recurses per bracket level: a few thousand open brackets overflow the stack inside
 * `parse` or leave a tree with untyped nodes (found by fuzzing). Real rules nest a handful deep.
 */
const MAX_BRACKET_DEPTH = 200;

function unreadable(fileName: string, why: string): PythonAnalysis {
  return { cond: OPAQUE, problems: [{ message: `${fileName}: the Python could not be read (${why})` }], found: false };
}

/** The deepest bracket nesting, counting every bracket (strings included: a bound, not a parse). */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/**
 * Whether every node of the tree can be visited. On some broken, deeply bracketed input @lezer/python
 * builds a tree with a node of no type, whose `name` throws (found by fuzzing); reading such a file
 * would fail midway, so it is reported as unreadable instead. One linear pass.
 */
function walkable(tree: Tree): boolean {
  const cursor = tree.cursor();
  try {
    do void cursor.name;
    while (cursor.next());
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

interface Module {
  functions: Map<string, SyntaxNode>;
  env: Env;
}

/** Module-level `NAME = …` constants and `def` functions (later definitions win, as in Python). */
function scanModule(text: string, tree: Tree): Module {
  const functions = new Map<string, SyntaxNode>();
  let env: Env = { names: new Map() };
  for (const stmt of children(tree.topNode)) {
    const [first, second, third] = children(stmt);
    if (stmt.name === 'FunctionDefinition' && second?.name === 'VariableName') functions.set(textOf({ text }, second), stmt);
    if (stmt.name === 'AssignStatement' && first?.name === 'VariableName' && second?.name === 'AssignOp' && third) {
      env = bind(env, textOf({ text }, first), { kind: 'expr', node: third, env: { names: new Map() } });
    }
  }
  // Constants may name other constants (`ALL = A + B`): let each see the final module scope.
  const names = new Map(env.names);
  for (const [name, b] of names) if (b.kind === 'expr') names.set(name, { ...b, env: { names } });
  return { functions, env: { names } };
}

function paramNames(text: string, def: SyntaxNode): string[] {
  const params = children(def).find((c) => c.name === 'ParamList');
  return params ? children(params).filter((c) => c.name === 'VariableName').map((c) => textOf({ text }, c)) : [];
}

function bodyStatements(node: SyntaxNode): SyntaxNode[] {
  const body = node.name === 'Body' ? node : children(node).find((c) => c.name === 'Body');
  return body ? children(body).filter((c) => c.name !== ':') : [];
}

function hasReturn(node: SyntaxNode): boolean {
  const cursor = node.cursor();
  do {
    if (cursor.name === 'ReturnStatement' || cursor.name === 'RaiseStatement') return true;
    if (cursor.from > node.to) break;
  } while (cursor.next() && cursor.from < node.to);
  return false;
}

/** A statement list whose every path ends in return/raise. */
function terminates(stmts: SyntaxNode[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (last.name === 'ReturnStatement' || last.name === 'RaiseStatement') return true;
  if (last.name !== 'IfStatement') return false;
  const kids = children(last);
  return kids.some((k) => k.name === 'else') && kids.filter((k) => k.name === 'Body').every((b) => terminates(bodyStatements(b)));
}

class Evaluator {
  private readonly ctx: CondContext;
  private inlineDepth = 0;
  private steps = 0;
  private exhausted = false;
  constructor(readonly text: string, private readonly module: Module, private readonly report: (m: string, n: SyntaxNode) => void) {
    this.ctx = { text, problem: report, inline: (name, args, env, depth) => this.inline(name, args, env, depth) };
  }

  body(def: SyntaxNode, env: Env, depth: number): Cond {
    return this.block(bodyStatements(def), env, depth);
  }

  private block(stmts: SyntaxNode[], env: Env, depth: number): Cond {
    // Every fall-through `if` evaluates the statements after it twice; a budget keeps that bounded.
    if (++this.steps > MAX_BLOCK_EVALUATIONS) {
      if (!this.exhausted && stmts[0]) this.report('rule logic too branched to follow', stmts[0]);
      this.exhausted = true;
      return OPAQUE;
    }
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i] as SyntaxNode;
      const rest = stmts.slice(i + 1);
      const kids = children(stmt);
      switch (stmt.name) {
        case 'ReturnStatement':
          return kids[1] ? condOf(this.ctx, kids[1], env, depth) : FALSE;
        case 'RaiseStatement':
          return FALSE;
        case 'IfStatement':
          // An `if` with no return inside only sets locals or logs: it does not decide the result.
          if (!hasReturn(stmt)) break;
          return this.ifChain(kids, rest, env, depth);
        case 'AssignStatement':
          env = this.assign(kids, env);
          break;
        case 'ForStatement':
        case 'WhileStatement':
        case 'TryStatement':
        case 'WithStatement':
          if (textOf(this.ctx, stmt).includes('return')) {
            this.report(`${stmt.name.replace('Statement', '').toLowerCase()} block not followed`, stmt);
            return or(OPAQUE, this.block(rest, env, depth));
          }
          break;
        default:
          break; // docstrings, pass, nested defs, prints
      }
    }
    return FALSE; // falling off the end returns None
  }

  private assign(kids: SyntaxNode[], env: Env): Env {
    const [target, op, value] = kids;
    if (target?.name !== 'VariableName') return env;
    const name = textOf(this.ctx, target);
    if (op?.name === 'AssignOp' && value && kids.length === 3) return bind(env, name, { kind: 'expr', node: value, env });
    // `a = b = …`, `x += 1`, tuple targets: the name no longer means what it did.
    const names = new Map(env.names);
    names.delete(name);
    return { names };
  }

  /** `if C: B [elif C2: B2]* [else: E]` followed by `rest`. */
  private ifChain(kids: SyntaxNode[], rest: SyntaxNode[], env: Env, depth: number): Cond {
    if (depth > 60) return OPAQUE;
    const condNode = kids[1];
    const bodyNode = kids[2];
    if (!condNode || !bodyNode) return OPAQUE;
    const cond = condOf(this.ctx, condNode, env, depth + 1);
    const bodyStmts = bodyStatements(bodyNode);
    const branch = this.block(terminates(bodyStmts) ? bodyStmts : [...bodyStmts, ...rest], env, depth + 1);
    const next = kids[3];
    let otherwise: Cond;
    if (next?.name === 'elif') otherwise = this.ifChain(kids.slice(3), rest, env, depth + 1);
    else if (next?.name === 'else' && kids[4]) {
      const elseStmts = bodyStatements(kids[4]);
      otherwise = this.block(terminates(elseStmts) ? elseStmts : [...elseStmts, ...rest], env, depth + 1);
    } else otherwise = this.block(rest, env, depth + 1);
    const result = branch.k === 'const' && !branch.value ? and(not(cond), otherwise) : or(and(cond, branch), otherwise);
    if (size(result, MAX_COND_SIZE) > MAX_COND_SIZE) {
      this.report('rule logic too large to follow', condNode);
      return OPAQUE;
    }
    return result;
  }

  /** A same-file function called from the rule: its parameters bound to the call's arguments. */
  private inline(name: string, args: SyntaxNode[], env: Env, depth: number): Cond | undefined {
    const def = this.module.functions.get(name);
    if (!def || this.inlineDepth >= MAX_INLINE_DEPTH) return undefined;
    let inner = this.module.env;
    paramNames(this.text, def).forEach((param, i) => {
      const arg = args[i];
      if (arg) inner = bind(inner, param, { kind: 'expr', node: arg, env });
    });
    this.inlineDepth++;
    try {
      return this.body(def, inner, depth + 1);
    } finally {
      this.inlineDepth--;
    }
  }
}
