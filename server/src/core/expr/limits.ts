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

/**
 * The most elements one check of an expression may visit at run time (each
 * quantifier or aggregate visits its collection's elements once per
 * evaluation of it, so nested ones multiply). MAX_EVALUATION_COST bounds
 * what is known before running; this bounds what is not: collections read
 * from protocol state (a Raft log, a key-value map) can grow far past
 * ASSUMED_COLLECTION_SIZE. It is MAX_EVALUATION_COST, counted in elements
 * visited (each visit evaluates at least one sub-expression), so whatever
 * passes DS187 with collections of the assumed size never reaches it; only
 * a collection that grew past the assumption can. Past it the check stops with a run-time error
 * located at the quantifier (DS205), instead of stalling the run: such a
 * property costs this much at every event it is checked. Fixed, not an
 * option; docs/language.md (Properties, cost) says how to stay under it.
 */
export const EVALUATION_STEP_BUDGET = MAX_EVALUATION_COST;
