import type { CstNode, IToken } from 'chevrotain';
import type { BinaryOp, Comprehension, Expr, ExprName, TemporalFormula } from '../expr/ast';
import { spanRanges, type SourceRange } from '../source';
import { parseDuration } from '../units';
import { isToken, Missing, need, node, nodeRange, nodes, token, tokenRange, unquote } from './cstAccess';

/**
 * Builds expression ASTs from the CST of exprParser.ts. Operators of one
 * level come as operand and op arrays in source order, folded to the left
 * (`implies` to the right).
 */
export function expression(n: CstNode): Expr {
  if (n.recoveredNode) throw new Missing();
  const lhs = disjunction(need(node(n, 'lhs')));
  const rhs = node(n, 'rhs');
  return rhs ? binary('implies', lhs, expression(rhs)) : lhs;
}

export function temporal(n: CstNode): TemporalFormula {
  const range = nodeRange(n);
  const form = token(n, 'form')?.image;
  const body = expression(need(node(n, 'body')));
  if (form === 'always' || form === 'never') return { kind: form, body, range };
  if (form === undefined) return { kind: 'always', body, range };
  const within = timeLiteral(need(token(n, 'within')));
  if (form === 'eventually') return { kind: 'eventually', within, body, range };
  return { kind: 'whenever', trigger: expression(need(node(n, 'trigger'))), within, body, range };
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, range: spanRanges(left.range, right.range) };
}

/** Folds `operand (op operand)*` where each operand is built by `build`. */
function fold(n: CstNode, op: (i: number) => BinaryOp, build: (c: CstNode) => Expr): Expr {
  const operands = nodes(n, 'operand');
  let result = build(need(operands[0]));
  for (let i = 1; i < operands.length; i++) result = binary(op(i - 1), result, build(operands[i]!));
  return result;
}

function disjunction(n: CstNode): Expr {
  return fold(n, () => 'or', conjunction);
}

function conjunction(n: CstNode): Expr {
  return fold(n, () => 'and', negation);
}

function negation(n: CstNode): Expr {
  const inner = need(node(n, 'operand'));
  if (token(n, 'Kw_not')) {
    const operand = negation(inner);
    return { kind: 'unary', op: 'not', operand, range: nodeRange(n) };
  }
  return comparison(inner);
}

function comparison(n: CstNode): Expr {
  const ops = (n.children['op'] ?? []).filter(isToken);
  return fold(n, (i) => need(ops[i]).image as BinaryOp, additive);
}

function additive(n: CstNode): Expr {
  let result = multiplicative(need(node(n, 'operand')));
  for (const tail of nodes(n, 'tail')) {
    const signed = token(tail, 'signed');
    if (signed) {
      // `a -2 * b`: the sign is the operator, the literal without it the first operand.
      const literal = literalToken(signed, signed.image.slice(1), { ...tokenRange(signed), startOffset: tokenRange(signed).startOffset + 1, startColumn: tokenRange(signed).startColumn + 1 });
      const right = mulTails(literal, nodes(tail, 'tail'));
      result = binary(signed.image[0] as '+' | '-', result, right);
    } else {
      result = binary(need(token(tail, 'op')).image as '+' | '-', result, multiplicative(need(node(tail, 'operand'))));
    }
  }
  return result;
}

function multiplicative(n: CstNode): Expr {
  return mulTails(unary(need(node(n, 'operand'))), nodes(n, 'tail'));
}

function mulTails(first: Expr, tails: readonly CstNode[]): Expr {
  let result = first;
  for (const tail of tails) result = binary(need(token(tail, 'op')).image as '*' | '/' | '%', result, unary(need(node(tail, 'operand'))));
  return result;
}

function unary(n: CstNode): Expr {
  const inner = need(node(n, 'operand'));
  if (token(n, 'op')) return { kind: 'unary', op: '-', operand: unary(inner), range: nodeRange(n) };
  return postfix(inner);
}

function postfix(n: CstNode): Expr {
  let result = primary(need(node(n, 'operand')));
  for (const tail of nodes(n, 'tail')) {
    const range = spanRanges(result.range, nodeRange(tail));
    const index = node(tail, 'index');
    if (index) {
      need(token(tail, 'RBracket'));
      result = { kind: 'index', target: result, index: expression(index), range };
      continue;
    }
    const name = exprName(need(token(tail, 'name')));
    const args = node(tail, 'args');
    result = args ? { kind: 'call', callee: name, target: result, ...callArgs(args), range } : { kind: 'field', target: result, name, range };
  }
  return result;
}

function primary(n: CstNode): Expr {
  if (n.recoveredNode) throw new Missing();
  const range = nodeRange(n);
  const literal = token(n, 'literal');
  if (literal) return literalToken(literal, literal.image, range);
  const nameToken = token(n, 'name');
  if (nameToken) {
    const args = node(n, 'args');
    const name = exprName(nameToken);
    return args ? { kind: 'call', callee: name, ...callArgs(args), range } : { kind: 'name', name, range };
  }
  const inner = node(n, 'inner');
  if (inner) {
    need(token(n, 'RParen'));
    return expression(inner);
  }
  const braces = node(n, 'braces');
  if (braces) {
    need(token(braces, 'RCurly'));
    const fields = nodes(braces, 'field');
    if (fields.length > 0) {
      return { kind: 'record', fields: fields.map((f) => ({ name: exprName(need(token(f, 'name'))), value: expression(need(node(f, 'value'))) })), range };
    }
    return { kind: 'set', items: nodes(braces, 'item').map(expression), range };
  }
  const list = node(n, 'list');
  if (list) {
    need(token(list, 'RBracket'));
    return { kind: 'list', items: nodes(list, 'item').map(expression), range };
  }
  const q = node(n, 'quantified');
  if (q) {
    return {
      kind: 'quantifier',
      quantifier: need(token(q, 'quantifier')).image as 'forall' | 'exists',
      variables: (q.children['variable'] ?? []).filter(isToken).map(exprName),
      over: additive(need(node(q, 'over'))),
      body: expression(need(node(q, 'body'))),
      range,
    };
  }
  const c = need(node(n, 'conditional'));
  return { kind: 'if', cond: expression(need(node(c, 'cond'))), then: expression(need(node(c, 'then'))), else: expression(need(node(c, 'else'))), range };
}

/**
 * Arguments, or a comprehension `x in S where P` / `x in S: e` when a clause
 * is written. A clause after anything but one `name in set` keeps an empty
 * variable name, which the checker reports.
 */
function callArgs(n: CstNode): { args: Expr[]; comprehension?: Comprehension } {
  need(token(n, 'RParen'));
  const args = nodes(n, 'arg').map(expression);
  const clause = token(n, 'clause');
  const body = node(n, 'clauseBody');
  if (!clause || !body) return { args };
  const head = args[0] ?? need<Expr>(undefined);
  const shaped = args.length === 1 && head.kind === 'binary' && head.op === 'in' && head.left.kind === 'name';
  const variable = shaped && head.left.kind === 'name' ? head.left.name : { text: '', range: head.range };
  const over = shaped ? head.right : head;
  return { args: [], comprehension: { variable, over, ...(clause.image === 'where' ? { where: expression(body) } : { map: expression(body) }) } };
}

function literalToken(t: IToken, image: string, range: SourceRange): Expr {
  switch (t.tokenType.name) {
    case 'NumberLiteral': return { kind: 'int', value: Number(image), text: image, range };
    case 'Duration': return { kind: 'time', ns: parseDuration(image), text: image, range };
    case 'StringLiteral': return { kind: 'string', value: unquote(image), range };
    case 'Kw_true': return { kind: 'bool', value: true, range };
    case 'Kw_false': return { kind: 'bool', value: false, range };
    default: return { kind: 'none', range };
  }
}

function timeLiteral(t: IToken): Expr {
  return literalToken(t, t.image, tokenRange(t));
}

function exprName(t: IToken): ExprName {
  return { text: t.image, range: tokenRange(t) };
}
