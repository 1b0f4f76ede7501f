import { berkeley } from './berkeley';
import { chandyLamport } from './chandyLamport';
import { cristian } from './cristian';
import { gCounter } from './gCounter';
import { lockService } from './lockService';
import { lwwRegister } from './lwwRegister';
import { naiveCounter } from './naiveCounter';
import { ntp } from './ntp';
import { pnCounter } from './pnCounter';
import type { ProtocolDefinition } from './protocol';
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
