/**
 * Storage for the vector clock copies the engine hands out: one per message
 * in flight (the sender's clock at the send, merged on delivery) and one per
 * event shown to a monitor that keeps clocks (keepsEventClocks). A clock of
 * more than SMALL_WIDTH nodes is a view into a shared chunk instead of its
 * own Int32Array, so a run holds a few chunks instead of a million array
 * buffers (the garbage collector's work grows with the number of buffers
 * kept); a smaller one is its own array, which V8 keeps inside the heap
 * without a buffer. The recorded trace keeps its own clocks (traceStore.ts).
 *
 * Contract: a copy is an ordinary Int32Array of the node count, never
 * written after it is made. Read it or copy it (`Array.from`); do not
 * transfer or post its `.buffer`, which holds other events' clocks too.
 */
export class VcArena {
  private chunk: Int32Array;
  private used = 0;
  private readonly chunkLength: number;

  constructor(private readonly width: number) {
    // About 256 KiB per chunk, and always room for at least one clock.
    this.chunkLength = Math.max(1, Math.floor(65_536 / Math.max(1, width))) * Math.max(1, width);
    // Chunks start small and double up to that size: exploration runs many short
    // simulations, and zeroing 256 KiB for each cost more than the run itself.
    this.chunk = new Int32Array(width <= SMALL_WIDTH ? 0 : Math.min(this.chunkLength, 64 * width));
  }

  /** A frozen-in-time copy of `vc` (which must have `width` entries). */
  copy(vc: Int32Array): Int32Array {
    const width = this.width;
    if (width <= SMALL_WIDTH) {
      const own = new Int32Array(width);
      for (let i = 0; i < width; i++) own[i] = vc[i]!;
      return own;
    }
    if (this.used + this.width > this.chunk.length) {
      this.chunk = new Int32Array(Math.min(this.chunkLength, this.chunk.length * 2));
      this.used = 0;
    }
    const view = this.chunk.subarray(this.used, this.used + this.width);
    view.set(vc);
    this.used += this.width;
    return view;
  }
}

/**
 * Clocks of at most this many entries (64 bytes) are copied into an array of
 * their own: V8 keeps a typed array that small inside the heap, with no
 * buffer of its own, and makes it in about half the time `subarray` takes to
 * make a view (a view is an object per copy too).
 */
const SMALL_WIDTH = 16;
