/**
 * Bounds that keep a hostile or mistaken expression from running away
 * (checked before running, DS187). The syntax layer already refuses
 * brackets nested deeper than its nesting limit; operator chains
 * (`a + a + … + a`, `not not … x`) deepen the tree without brackets, so
 * the tree itself is bounded too: every pass over it recurses per level.
 */
export const MAX_EXPRESSION_DEPTH = 256;

/**
 * The most sub-expression evaluations one check of an expression may take,
 * estimated statically: each quantifier or aggregate multiplies its body by
 * the size of what it ranges over (the node count for node sets, and
 * ASSUMED_COLLECTION_SIZE for collections read from protocol state).
 */
export const MAX_EVALUATION_COST = 10_000_000;
export const ASSUMED_COLLECTION_SIZE = 100;
