import { compare } from '../invariants/invariant';
import type { ExpectOperand, Expectation } from '../model';
import type { PropertyValue } from '../protocols/protocol';
import type { Simulation } from './engine';

export interface ExpectationOutcome {
  readonly passed: boolean;
  readonly left: PropertyValue | undefined;
  readonly right: PropertyValue | undefined;
  /** True time of the evaluation. */
  readonly time: number;
}

/** Evaluates `expect …` against the simulation's state now. */
export function evaluateExpectation(e: Expectation, sim: Simulation): ExpectationOutcome {
  const left = operandValue(e.left, sim);
  const right = operandValue(e.right, sim);
  const passed = left !== undefined && right !== undefined && compare(left, e.comparator, right);
  return { passed, left, right, time: sim.now() };
}

export function operandValue(o: ExpectOperand, sim: Simulation): PropertyValue | undefined {
  if (o.kind === 'literal') return o.value;
  const node = sim.nodes[o.node]!;
  const now = sim.now();
  switch (o.property) {
    case 'lamport': return node.lamport;
    case 'vc': return node.vc[sim.model.nodes.findIndex((n) => n.name === o.arg)] ?? 0;
    case 'clock': return node.clock.read(now);
    case 'hlc': return node.hlc.l;
    case 'hlc_counter': return node.hlc.c;
    case 'offset': return node.clock.read(now) - now; // what the node reads, not the unrounded clock
    case 'alive': return node.alive;
    case 'sent': return o.arg === undefined ? node.sent : node.sentByLabel.get(o.arg) ?? 0;
    case 'received': return o.arg === undefined ? node.received : node.receivedByLabel.get(o.arg) ?? 0;
    case 'crashes': return node.crashes;
    default: return sim.inspect(o.node)[o.property];
  }
}
