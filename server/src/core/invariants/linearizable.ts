import { checkLinearizable } from '../linearizability/checker';
import { explainKvViolation } from '../linearizability/explain';
import { describeKvOperation, kvModel, type KvOperation } from '../linearizability/history';
import { isClientDefinition } from '../protocols/client';
import { readClientOp } from '../protocols/replicationNotes';
import { formatDuration } from '../units';
import { notDecidedEarly, type Cause, type InvariantDefinition } from './invariant';
import { bindingCause, FaultHistory, instanceOf, optionCauses } from './protocolCauses';

interface Recorded {
  op: KvOperation;
  readonly instance: number;
  readonly source: number;
  readonly callSeq: number;
  retSeq: number | undefined;
}

/**
 * linearizable(kv): the put/get history the clients recorded (their invoke
 * and return notes, in true time) has a linearization — one order of the
 * operations, consistent with real time, in which every get returns the
 * latest put. Decided exactly at the end of the run by the Wing–Gong/Lowe
 * search of linearizability/checker.ts, per key. An operation never answered
 * may or may not have taken effect; a get that failed tells nothing and is
 * left out. A history too concurrent for the search budget is reported as
 * undecided rather than passed, and so is a linearizable history of a run
 * that stopped early (a non-linearizable one fails: no continuation fixes it).
 */
export const linearizable: InvariantDefinition = {
  name: 'linearizable',
  summary: "the clients' put/get history is linearizable",
  example: 'invariant linearizable(kv)',
  form: { args: { min: 1, max: 1, kind: 'name', choices: ['kv'] } },
  watches: ['kv-clients'],
  create(_params, world) {
    const faults = new FaultHistory(world);
    const ops = new Map<string, Recorded>();
    let nextId = 0;
    return {
      onEvent(e) {
        faults.observe(e);
        const n = readClientOp(e);
        if (!n) return undefined;
        if (n.phase === 'invoke') {
          const input = n.op === 'put' ? { op: 'put' as const, key: n.key, value: n.value ?? '' } : { op: 'get' as const, key: n.key };
          const op: KvOperation = { id: nextId++, client: n.client, input, output: undefined, call: e.time, ret: Infinity };
          ops.set(n.opId, { op, instance: instanceOf(world, e), source: n.source, callSeq: e.seq, retSeq: undefined });
          return undefined;
        }
        const r = ops.get(n.opId);
        if (!r) return undefined;
        if (n.phase === 'return') {
          r.op = { ...r.op, ret: e.time, output: n.op === 'get' ? n.value : undefined };
          r.retSeq = e.seq;
        } else if (r.op.input.op === 'get') {
          ops.delete(n.opId); // a failed read constrains nothing
        }
        return undefined;
      },
      atEnd(end) {
        const recorded = [...ops.values()].filter((r) => !(r.op.input.op === 'get' && r.retSeq === undefined));
        const result = checkLinearizable(kvModel, recorded.map((r) => r.op), { stopAtFirstViolation: true }); // it reports one failure: the others would only cost time
        // A prefix with no linearization has none however it goes on (open operations may still take effect), so a failure stands; a pass on a prefix proves nothing of the whole run.
        if (result.kind === 'ok') return end.complete ? undefined : notDecidedEarly(world, end, `the ${recorded.length} operations so far are linearizable, but linearizable judges the whole history`);
        if (result.kind === 'unknown') {
          // Not a proof either way; saying ✓ would claim a check that did not happen.
          return {
            message: `could not decide: the history of ${recorded.length} operations is too concurrent to search within ${result.steps} steps; use fewer clients or a shorter run`,
            time: world.now(),
            seq: world.lastSeq(),
            causes: [],
          };
        }
        const byId = new Map(recorded.map((r) => [r.op.id, r]));
        const culprit = byId.get(result.culprit.id)!;
        const c = culprit.op;
        const range = (r: Recorded): Cause | undefined => {
          const def = world.model.protocols[r.instance]?.definition;
          const spec = def && isClientDefinition(def) ? def.workload.ops[r.source] : undefined;
          return spec && { message: `${r.op.client}: ${describeKvOperation(r.op)} [${formatDuration(r.op.call)}..${formatDuration(r.op.ret)}]`, range: spec.range };
        };
        const causes: Cause[] = [];
        const own = range(culprit);
        if (own) causes.push(own);
        const { why, conflicting } = explainKvViolation(result.partition, c, result.prefix);
        for (const o of conflicting) {
          const other = range(byId.get(o.id)!);
          if (other) causes.push({ ...other, message: `${other.message}: one side of the contradiction` });
        }
        const store = world.model.protocols[culprit.instance]?.peers?.[0];
        if (store !== undefined) causes.push(...optionCauses(world, store, ['bugs', 'lease', 'drift_bound']), bindingCause(world, store));
        return {
          message: `not linearizable: ${c.client}'s ${describeKvOperation(c)} (invoked t=${formatDuration(c.call)}, returned t=${formatDuration(c.ret)}): ${why}`,
          time: Number.isFinite(c.ret) ? c.ret : world.now(),
          seq: culprit.retSeq ?? culprit.callSeq,
          causes: [...faults.causes(), ...causes],
        };
      },
    };
  },
};
