import { berkeley } from './berkeley';
import { chandyLamport } from './chandyLamport';
import { cristian } from './cristian';
import { gCounter } from './gCounter';
import { lockService } from './lockService';
import { lwwRegister } from './lwwRegister';
import { naiveCounter } from './naiveCounter';
import { ntp } from './ntp';
import { pnCounter } from './pnCounter';
import type { PropertySpec, ProtocolDefinition } from './protocol';
import { multiPaxos } from './multiPaxos';
import { paxos } from './paxos';
import { ptp } from './ptp';
import { raft } from './raft';
import { referenceClock } from './referenceClock';
import { replicatedQueue } from './replicatedQueue';
import { threePhaseCommit } from './threePhaseCommit';
import { twoPhaseCommit } from './twoPhaseCommit';
import { versionVectorStore } from './versionVectorStore';

/** Every protocol the simulator knows, by name. One file each; add new ones here. */
export const PROTOCOLS: readonly ProtocolDefinition[] = [twoPhaseCommit, threePhaseCommit, chandyLamport, lockService, gCounter, pnCounter, naiveCounter, lwwRegister, versionVectorStore, replicatedQueue, referenceClock, ntp, ptp, cristian, berkeley, raft, paxos, multiPaxos];

export interface ResolvedProperty {
  readonly spec: PropertySpec;
  /** Set when `name` is a deprecated alias of `spec.name` (DS138 and its quick fix). */
  readonly deprecatedAlias?: string;
}

/**
 * The one lookup of a protocol property by name, for `expect` and for
 * expressions alike: the property itself, or the property an old name
 * (`commitIndex`) stands for, flagged so the caller can warn. Undefined
 * when the protocol has no such property.
 */
export function resolveProperty(protocol: ProtocolDefinition, name: string): ResolvedProperty | undefined {
  const spec = protocol.properties.find((p) => p.name === name);
  if (spec) return { spec };
  const aliased = protocol.properties.find((p) => p.deprecatedAliases?.includes(name));
  return aliased && { spec: aliased, deprecatedAlias: name };
}
