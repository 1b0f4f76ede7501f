import type { PropertyValue } from '../protocols/protocol';

/**
 * What a recorded run keeps of protocol code that the trace does not show:
 * counts (how often each handler of a written protocol ran and how often its
 * guard was false; how often each timer was set, fired and cancelled) and
 * values computed at a node's start (a written protocol's consts). Keys are
 * chosen by the protocol (protocolLang/tallyKeys.ts); each has one entry per
 * node. Only a run that records its trace keeps them (NodeContext.tally is
 * absent otherwise): exploration never pays for them.
 */
export class Tallies {
  private readonly counts = new Map<string, number[]>();
  private readonly values = new Map<string, (PropertyValue | undefined)[]>();

  constructor(private readonly nodes: number) {}

  count(node: number, key: string): void {
    let perNode = this.counts.get(key);
    if (!perNode) this.counts.set(key, (perNode = new Array<number>(this.nodes).fill(0)));
    perNode[node]!++;
  }

  /** Keeps `value` as the node's latest value of `key`. */
  value(node: number, key: string, value: PropertyValue): void {
    let perNode = this.values.get(key);
    if (!perNode) this.values.set(key, (perNode = new Array<PropertyValue | undefined>(this.nodes).fill(undefined)));
    perNode[node] = value;
  }

  /** The count of `key` on each node (zeros when it never happened). */
  countsOf(key: string): readonly number[] {
    return this.counts.get(key) ?? new Array<number>(this.nodes).fill(0);
  }

  /** The latest value of `key` on each node (undefined where none was kept). */
  valuesOf(key: string): readonly (PropertyValue | undefined)[] {
    return this.values.get(key) ?? new Array<PropertyValue | undefined>(this.nodes).fill(undefined);
  }
}
