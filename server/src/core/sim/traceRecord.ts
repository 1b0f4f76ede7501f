import { NUMBER_BYTES } from './byteArena';

/**
 * The layout of a recorded event's record in the trace store (traceStore.ts):
 * the fields written as differences from the previous record of the same
 * block, the decoded form a reader keeps, and the block and record sizes.
 */

/** HLC counters below this are written with l in one number (as 2c: a fast-path difference). */
export const HLC_C_LIMIT = 1 << 27;
/** Events per block of records (a block's first record is written from zeros). */
export const BLOCK_SHIFT = 4;
export const BLOCK = 1 << BLOCK_SHIFT;
export const BLOCK_MASK = BLOCK - 1;
/** Most numbers a record holds (time, local, Lamport, HLC mark, l and c, vector and own entry, site, message, text), and bytes. */
export const RECORD_NUMBERS = 11;
export const RECORD_BYTES = RECORD_NUMBERS * NUMBER_BYTES;

/** The fields a record is written relative to: the previous record's in its block (zeros at a block's start). */
export class Chain {
  time = 0;
  lamport = 0;
  vector = 0;
  msg = 0;
  aux = 0;

  reset(): void {
    this.time = 0;
    this.lamport = 0;
    this.vector = 0;
    this.msg = 0;
    this.aux = 0;
  }
}

/** A decoded record (the fields of the last record read for the chained ones), its seq, and where the next record starts. */
export class Decoded extends Chain {
  seq = -1;
  next = 0;
  local = 0;
  hlcL = 0;
  hlcC = 0;
  own = 0;
  site = 0;
}
