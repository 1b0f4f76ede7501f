import { atomicity } from './atomicity';
import { causalDelivery } from './causalDelivery';
import { consistentCut } from './consistentCut';
import { converges } from './converges';
import { fencedWrites } from './fencedWrites';
import type { InvariantDefinition } from './invariant';
import { agreement } from './agreement';
import { electionSafety } from './electionSafety';
import { leaderCompleteness } from './leaderCompleteness';
import { linearizable } from './linearizable';
import { logMatching } from './logMatching';
import { stateMachineSafety } from './stateMachineSafety';
import { validity } from './validity';
import { maxOffset } from './maxOffset';
import { maxSkew } from './maxSkew';
import { monotonicClocks } from './monotonicClocks';
import { mutualExclusion } from './mutualExclusion';
import { noBlocking } from './noBlocking';
import { noLostIncrements } from './noLostIncrements';
import { noLostUpdates } from './noLostUpdates';
import { noMessageLost } from './noMessageLost';
import { replicasConverge } from './replicasConverge';
import { snapshotConserves } from './snapshotConserves';

/** Every invariant `invariant NAME …` can name. One file each; add new ones here. */
export const INVARIANTS: readonly InvariantDefinition[] = [causalDelivery, maxSkew, atomicity, noBlocking, consistentCut, snapshotConserves, mutualExclusion, fencedWrites, replicasConverge, noLostIncrements, noLostUpdates, noMessageLost, maxOffset, monotonicClocks, converges, electionSafety, logMatching, leaderCompleteness, stateMachineSafety, linearizable, agreement, validity];
