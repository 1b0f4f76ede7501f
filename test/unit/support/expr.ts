import { checkExpression } from '../../../server/src/core/expr/check';
import type { CheckedWithSource } from '../../../server/src/core/expr/checked';
import type { ExprEnv } from '../../../server/src/core/expr/env';
import type { ExprReader } from '../../../server/src/core/expr/reader';
import { BOOL, INT, listOf, NODE, optional, parseTypeText, STRING, TIME } from '../../../server/src/core/expr/types';
import type { Value } from '../../../server/src/core/expr/values';
import type { ExpectDecl } from '../../../server/src/core/syntax/ast';
import { parse } from '../../../server/src/core/syntax/parse';

/** Three nodes; n1 and n2 run `raft` (role, term, log, votes, kv), n3 runs nothing. */
export const TEST_ENV: ExprEnv = {
  nodes: ['n1', 'n2', 'n3'],
  protocols: [
    {
      name: 'raft',
      members: [0, 1],
      properties: [
        { name: 'role', type: STRING, doc: '' },
        { name: 'term', type: INT, doc: '' },
        { name: 'log', type: listOf(INT), doc: '' },
        { name: 'votes', type: parseTypeText('set<node>'), doc: '' },
        { name: 'kv', type: parseTypeText('map<string, int>'), doc: '' },
        { name: 'leader', type: optional(NODE), doc: '' },
        { name: 'lease', type: TIME, doc: '' },
      ],
    },
    { name: 'paxos', members: [], properties: [{ name: 'ballot', type: INT, doc: '' }] },
  ],
  nodeProperties: [
    { name: 'lamport', type: INT, doc: '' },
    { name: 'clock', type: TIME, doc: '' },
    { name: 'alive', type: BOOL, doc: '' },
    { name: 'vc', type: INT, doc: '', arg: 'node' },
    { name: 'sent', type: INT, doc: '', arg: 'label' },
  ],
  variables: new Map([['now', { type: TIME, doc: '' }]]),
};

export interface TestState {
  readonly props: readonly Readonly<Record<string, Value>>[];
  readonly lamport: readonly number[];
  readonly clock: readonly number[];
  readonly alive: readonly boolean[];
  readonly now: number;
}

export function readerOf(s: TestState): ExprReader {
  const names = TEST_ENV.nodes;
  return {
    nodeIndex: (name) => names.indexOf(name),
    property: (node, name) => s.props[node]?.[name],
    builtin: (node, name, arg) => {
      switch (name) {
        case 'lamport': return s.lamport[node]!;
        case 'clock': return s.clock[node]!;
        case 'alive': return s.alive[node]!;
        case 'vc': return (arg as number) === node ? s.lamport[node]! : 0;
        case 'sent': return arg === undefined ? 10 : (arg as string).length;
        default: throw new Error(name);
      }
    },
    variable: () => s.now,
  };
}

export const STATE: TestState = {
  props: [
    { role: 'leader', term: 4, log: [1, 1, 2, 4], votes: ['n1', 'n2'], kv: { x: 5 }, leader: 'n1', lease: 2_000_000 },
    { role: 'follower', term: 4, log: [1, 1, 2], votes: [], kv: {}, leader: null, lease: 0 },
    {},
  ],
  lamport: [7, 3, 0],
  clock: [1_000_000_000, 1_004_000_000, 998_000_000],
  alive: [true, true, false],
  now: 1_000_000_000,
};

/** Parses and checks `source` as an expression; throws with the diagnostics when it does not check. */
export function checked(source: string, env: ExprEnv = TEST_ENV): CheckedWithSource {
  const { expr, diagnostics } = parseExpr(source);
  const errors: string[] = diagnostics.map((d) => `${d.code} ${d.message}`);
  // Warnings (DS186, an empty set) do not stop a test from evaluating.
  const result = expr && checkExpression(expr, env, (code, message) => void (code !== 'DS186' && errors.push(`${code} ${message}`)));
  if (!result || errors.length > 0) throw new Error(`does not check: ${source}\n${errors.join('\n')}`);
  return result;
}

/** The diagnostics (code and message) checking `source` reports. */
export function problems(source: string, env: ExprEnv = TEST_ENV): string[] {
  const { expr, diagnostics } = parseExpr(source);
  const out = diagnostics.map((d) => `${d.code} ${d.message}`);
  if (expr) checkExpression(expr, env, (code, message) => out.push(`${code} ${message}`));
  return out;
}

function parseExpr(source: string) {
  const parsed = parse(`expect ${source}`);
  const stmt = parsed.ast.statements[0] as ExpectDecl | undefined;
  return { expr: stmt?.kind === 'expect' ? stmt.condition : undefined, diagnostics: parsed.diagnostics };
}
