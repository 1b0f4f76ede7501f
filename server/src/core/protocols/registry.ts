import type { ProtocolDefinition } from './protocol';
import { threePhaseCommit } from './threePhaseCommit';
import { twoPhaseCommit } from './twoPhaseCommit';

/** Every protocol the simulator knows, by name. One file each; add new ones here. */
export const PROTOCOLS: readonly ProtocolDefinition[] = [twoPhaseCommit, threePhaseCommit];
