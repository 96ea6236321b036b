import type { FieldTest } from '../../predicate';
import type { Op, Problem } from '../../record';
import type { Node, Operand } from './yaralExpr';

/**
 * Field tests of a parsed `events:` section.
 * - sourceField is the UDM path without the event variable (`metadata.event_type`).
 * - Joins (`$e1.x = $e2.y`) and placeholder assignments (`$host = $e.principal.hostname`) give no
 *   test, but a placeholder bound to one field and then compared with a literal tests that field.
 * - `in %list` keeps the reference list's name as the value (`%list_name`, op `in`): the lists live in
 *   separate files the parser cannot read, and the name is what rules share.
 * - `= ""` / `!= ""` are YARA-L's presence tests: is_null / is_not_null.
 * - exclusion: a negated test inside a top-level `not` (or a top-level `!=`) of the AND of statements.
 */

export interface EventsAnalysis {
  tests: FieldTest[];
  problems: Problem[];
}

/** Functions whose result is their first argument's value, so the test stays on that field. */
const KEEPS_FIELD = new Set([
  'strings.to_lower', 'strings.to_upper', 'strings.trim', 'strings.ltrim', 'strings.rtrim', 'strings.coalesce',
  'cast.as_int', 'cast.as_float', 'cast.as_string',
]);

/** Boolean functions that test a field against a literal. */
const CALL_OPS: Record<string, Op> = {
  're.regex': 'regex_match',
  'strings.contains': 'contains',
  'strings.starts_with': 'starts_with',
  'strings.ends_with': 'ends_with',
  'net.ip_in_range_cidr': 'cidr',
};

const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const RANGE_OPS: Record<string, Op> = { '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };

export function analyzeEvents(root: Node): EventsAnalysis {
  const out: EventsAnalysis = { tests: [], problems: [] };
  const bindings = collectBindings(root);
  const walker = new Walker(bindings, out);
  for (const conjunct of flattenAnd(root)) {
    const topNot = conjunct.k === 'not' || (conjunct.k === 'cmp' && conjunct.op === '!=');
    walker.walk(conjunct, 0, topNot, 0);
  }
  return out;
}

function flattenAnd(node: Node): Node[] {
  return node.k === 'and' ? node.items.flatMap(flattenAnd) : [node];
}

/**
 * `$ph = $e.path` (either way round) anywhere in the section: placeholder → field path. A placeholder
 * bound to several fields keeps the first, so a literal test on it yields one predicate.
 */
function collectBindings(root: Node): Map<string, string> {
  const bindings = new Map<string, string>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    // Reversed so the first binding in document order wins.
    if (node.k === 'and' || node.k === 'or') stack.push(...[...node.items].reverse());
    else if (node.k === 'not') stack.push(node.item);
    else if (node.k === 'cmp' && node.op === '=') {
      const { left, right } = node;
      if (left.k === 'ph' && right.k === 'field' && !bindings.has(left.name)) bindings.set(left.name, right.path);
      if (right.k === 'ph' && left.k === 'field' && !bindings.has(right.name)) bindings.set(right.name, left.path);
    }
  }
  return bindings;
}

class Walker {
  constructor(private readonly bindings: Map<string, string>, private readonly out: EventsAnalysis) {}

  walk(node: Node, nots: number, exclusionContext: boolean, depth: number): void {
    if (depth > 200) return; // the parser already bounds nesting; this is a second guard
    switch (node.k) {
      case 'and':
      case 'or':
        for (const item of node.items) this.walk(item, nots, exclusionContext, depth + 1);
        return;
      case 'not':
        this.walk(node.item, nots + 1, exclusionContext, depth + 1);
        return;
      case 'bad':
        this.out.problems.push({ message: node.message, line: node.line });
        return;
      case 'call':
        this.callTest(node.call, nots, exclusionContext, node.line);
        return;
      case 'cmp':
        this.compare(node, nots, exclusionContext);
    }
  }

  private emit(test: FieldTest, nots: number, exclusionContext: boolean): void {
    const negated = (nots + (test.negated ? 1 : 0)) % 2 === 1;
    // written out, not spread: tests of one shape keep the copies on the way to a predicate cheap
    this.out.tests.push({ sourceField: test.sourceField, op: test.op, values: test.values, all: test.all, negated, exclusion: exclusionContext && negated, scope: test.scope });
  }

  /** The field an operand reads, through case/trim/cast wrappers and bound placeholders. */
  private fieldOf(operand: Operand, depth = 0): string | undefined {
    if (operand.k === 'field') return operand.path;
    if (operand.k === 'ph') return this.bindings.get(operand.name);
    if (operand.k === 'call' && KEEPS_FIELD.has(operand.name) && operand.args[0] && depth < 20) {
      return this.fieldOf(operand.args[0], depth + 1);
    }
    return undefined;
  }

  private callTest(call: Extract<Operand, { k: 'call' }>, nots: number, excl: boolean, line: number, negate = false): void {
    const op = CALL_OPS[call.name];
    if (!op) {
      this.out.problems.push({ message: `function ${call.name}() in events not understood`, line });
      return;
    }
    const [target, pattern] = call.args;
    const field = target ? this.fieldOf(target) : undefined;
    const value = pattern && (pattern.k === 'str' || pattern.k === 'regex' || pattern.k === 'num') ? pattern.value : undefined;
    if (field === undefined || value === undefined) {
      // A function over placeholders or computed values (e.g. re.regex($x, $y)) tests no field.
      if (field !== undefined) this.out.problems.push({ message: `${call.name}() with a non-literal pattern`, line });
      return;
    }
    this.emit({ sourceField: field, op, values: [value], negated: negate }, nots, excl);
  }

  private compare(node: Extract<Node, { k: 'cmp' }>, nots: number, excl: boolean): void {
    let { left, right } = node;
    let op: string = node.op;
    if (this.fieldOf(left) === undefined && left.k !== 'call' && this.fieldOf(right) !== undefined) {
      [left, right] = [right, left];
      op = FLIP[op] ?? op;
    }
    // `re.regex(...) = false`, `strings.contains(...) != true`
    if (left.k === 'call' && CALL_OPS[left.name] && right.k === 'bool') {
      const negate = (op === '=') !== right.value;
      this.callTest(left, nots, excl, node.line, negate);
      return;
    }
    const field = this.fieldOf(left);
    if (field === undefined) {
      // Placeholders and joins test no field; a computed value (timestamp.get_hour(…) > 20) is reported.
      if (left.k === 'call' && (right.k === 'str' || right.k === 'num')) {
        this.out.problems.push({ message: `comparison on ${left.name}() not understood`, line: node.line });
      }
      return;
    }
    const test = literalTest(field, op, right);
    if (test) this.emit(test, nots, excl);
  }
}

/** Every test of one shape (see emit). */
function fieldTest(sourceField: string, op: Op, values: string[], negated = false): FieldTest {
  return { sourceField, op, values, negated };
}

function literalTest(field: string, op: string, right: Operand): FieldTest | undefined {
  if (right.k === 'list') {
    const listOp: Op = right.mode === 'regex' ? 'regex_match' : right.mode === 'cidr' ? 'cidr' : 'in';
    return fieldTest(field, listOp, [`%${right.name}`]);
  }
  if (right.k === 'regex') {
    if (op !== '=' && op !== '!=') return undefined;
    return fieldTest(field, 'regex_match', [right.value], op === '!=');
  }
  if (right.k !== 'str' && right.k !== 'num' && right.k !== 'bool') return undefined;
  const value = String(right.value);
  if (op === '=' || op === '!=') {
    if (right.k === 'str' && value === '') return fieldTest(field, op === '=' ? 'is_null' : 'is_not_null', []);
    return fieldTest(field, 'eq', [value], op === '!=');
  }
  const range = RANGE_OPS[op];
  return range ? fieldTest(field, range, [value]) : undefined;
}
