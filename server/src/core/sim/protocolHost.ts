import type { Model } from '../model';
import type { NodeContext, ProtocolNode } from '../protocols/protocol';
import { createNodeContext, type EngineHooks } from './nodeContext';
import type { NodeState } from './nodeState';
import { Rng } from './rng';
import type { StateRecorder } from './stateDiffs';

/**
 * Where the protocol instances of a run live: each node's instances are
 * created and started here (again after a restart), each with its own
 * random stream (one per protocol and node, kept across restarts), and a
 * message finds the instance that handles it here.
 */
export class ProtocolHost {
  private readonly rngs = new Map<string, Rng>();
  /** Per protocol instance index, its protocol's name (what trace events carry). */
  private readonly names: readonly string[];

  constructor(
    private readonly model: Model, private readonly seed: number, private readonly nodes: readonly NodeState[],
    private readonly nodeNames: readonly string[], private readonly hooks: EngineHooks, private readonly states: StateRecorder | undefined,
  ) {
    this.names = model.protocols.map((p) => p.definition.name);
  }

  /** The protocol name of instance `index`; 'script' for the scenario's own messages (−1). */
  name(index: number): string {
    return index < 0 ? 'script' : this.names[index]!;
  }

  /** The node's instance of `protocol`, else its instance paired with it (ProtocolInstance.peers). */
  handlerFor(node: NodeState, protocol: number): ProtocolNode | undefined {
    const own = node.protocols[protocol];
    if (own) return own;
    const instances = this.model.protocols;
    for (let i = 0; i < instances.length; i++) {
      if (node.protocols[i] && (instances[protocol]!.peers?.includes(i) || instances[i]!.peers?.includes(protocol))) return node.protocols[i];
    }
    return undefined;
  }

  /** Fresh instances of the node's protocols, started (at the beginning, and after a restart). */
  start(node: number): void {
    const state = this.nodes[node]!;
    state.protocols = this.model.protocols.map((p, index) => (p.nodes.includes(node) ? p.definition.createNode(this.context(node, index)) : undefined));
    state.protocols.forEach((p) => p?.start());
    this.states?.afterHandler(node);
  }

  private context(node: number, protocol: number): NodeContext {
    const streamKey = `protocol:${protocol}:${node}`;
    let rng = this.rngs.get(streamKey);
    if (!rng) this.rngs.set(streamKey, (rng = new Rng(this.seed, streamKey)));
    return createNodeContext(this.hooks, this.nodeNames, node, this.nodes[node]!, protocol, this.model.protocols[protocol]!, rng);
  }
}
