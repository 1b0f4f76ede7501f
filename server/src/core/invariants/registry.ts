import { causalDelivery } from './causalDelivery';
import type { InvariantDefinition } from './invariant';
import { maxSkew } from './maxSkew';

/** Every invariant `invariant NAME …` can name. One file each; add new ones here. */
export const INVARIANTS: readonly InvariantDefinition[] = [causalDelivery, maxSkew];
