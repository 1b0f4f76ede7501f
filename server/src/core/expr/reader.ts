import type { Value } from './values';

/**
 * What a running expression reads: node and protocol state, supplied by
 * whoever evaluates it (the simulator's monitors for properties; later a
 * protocol node for its handlers). Nodes are values by name; `nodeIndex`
 * maps a name to the index the other methods take.
 */
export interface ExprReader {
  nodeIndex(name: string): number;
  /** A protocol property of a node (undefined: the node runs no protocol with it now). */
  property(node: number, name: string): Value | undefined;
  /** A built-in node property (`lamport`, `clock`, `vc` with a node index, `sent` with a label, …). */
  builtin(node: number, name: string, arg: number | string | undefined): Value;
  /** A name the environment provides (`now`). */
  variable(name: string): Value;
  /** Uniform in [0, 1) from the reading node's own stream (protocol code only, for `random`). */
  random?(): number;
  /**
   * Counts one iteration of a quantifier or aggregate (protocol code: they
   * count toward the handler's step budget, so no expression runs away);
   * absent for properties, whose cost is bounded before running (DS187).
   */
  tick?(): void;
}
