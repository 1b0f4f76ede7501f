/**
 * Coalesces redraw requests into one call of `draw` on the next animation
 * frame: a burst of messages, resizes and wheel events draws once.
 */
export class NextFrame {
  private requested = false;

  constructor(private readonly draw: () => void) {}

  /** Whether a draw is asked for and has not run yet. */
  get pending(): boolean {
    return this.requested;
  }

  request(): void {
    if (this.requested) return;
    this.requested = true;
    requestAnimationFrame(() => {
      this.requested = false;
      this.draw();
    });
  }
}
