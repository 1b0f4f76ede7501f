/**
 * The visible time window and the ways to move it: wheel zooms around the
 * pointer, dragging pans, buttons and keys (+ − 0 ← → Home End) do the rest.
 */
import type { TimeWindow } from './scale';

/** Narrowest window: 50 ns (events are integer nanoseconds). */
const MIN_SPAN = 50;
/** One press of +/− (key or button) zooms by this factor. */
export const ZOOM_STEP = 1.6;

export class View {
  private full: TimeWindow = { start: 0, end: 1 };
  window: TimeWindow = { start: 0, end: 1 };

  get fullWindow(): TimeWindow {
    return this.full;
  }

  /** True when the whole run is visible. */
  get isFit(): boolean {
    return this.window.start <= this.full.start && this.window.end >= this.full.end;
  }

  /** A new run: keep the window if it still fits, else show everything. */
  reset(full: TimeWindow, keep?: TimeWindow): void {
    this.full = full;
    this.window = keep ? this.clamp(keep) : full;
  }

  fit(): void {
    this.window = this.full;
  }

  set(w: TimeWindow): void {
    this.window = this.clamp(w);
  }

  /** Zooms by `factor` (< 1 zooms in) keeping time `t` where it is on screen. */
  zoomAround(t: number, factor: number): void {
    const { start, end } = this.window;
    const span = Math.max(MIN_SPAN, (end - start) * factor);
    const k = end === start ? 0.5 : (t - start) / (end - start);
    this.window = this.clamp({ start: t - k * span, end: t - k * span + span });
  }

  zoomCenter(factor: number): void {
    this.zoomAround((this.window.start + this.window.end) / 2, factor);
  }

  panBy(dt: number): void {
    this.window = this.clamp({ start: this.window.start + dt, end: this.window.end + dt });
  }

  /** Brings t into view (centred) without changing the zoom, if it is outside. */
  reveal(t: number): void {
    const { start, end } = this.window;
    if (t >= start && t <= end) return;
    const span = end - start;
    this.window = this.clamp({ start: t - span / 2, end: t + span / 2 });
  }

  private clamp(w: TimeWindow): TimeWindow {
    const fullSpan = this.full.end - this.full.start;
    let span = Math.max(MIN_SPAN, Math.min(w.end - w.start, fullSpan));
    if (!(span > 0)) span = fullSpan;
    let start = Math.max(this.full.start, Math.min(w.start, this.full.end - span));
    if (!Number.isFinite(start)) start = this.full.start;
    return { start, end: start + span };
  }
}

export interface ZoomTarget {
  readonly view: View;
  /** Time under client x, or undefined when x is outside the plot. */
  timeAt(clientX: number): number | undefined;
  /** Nanoseconds per pixel in the current frame. */
  nsPerPx(): number;
  changed(): void;
}

/**
 * Wires pointer and keyboard. Returns a function that tells whether the
 * last pointer-up ended a drag (so the click it produces is not a click).
 */
export function attachZoomPan(el: SVGSVGElement, target: ZoomTarget): () => boolean {
  let drag: { x: number; moved: boolean; id: number } | undefined;
  let lastWasDrag = false;

  el.addEventListener(
    'wheel',
    (ev) => {
      const t = target.timeAt(ev.clientX);
      if (t === undefined) return;
      ev.preventDefault();
      if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY) || ev.shiftKey) {
        const d = Math.abs(ev.deltaX) > Math.abs(ev.deltaY) ? ev.deltaX : ev.deltaY;
        target.view.panBy(d * target.nsPerPx());
      } else {
        const unit = ev.deltaMode === 1 ? 30 : ev.deltaMode === 2 ? 300 : 1;
        target.view.zoomAround(t, Math.exp(ev.deltaY * unit * 0.0015));
      }
      target.changed();
    },
    { passive: false },
  );

  el.addEventListener('pointerdown', (ev) => {
    lastWasDrag = false;
    if (ev.button !== 0 || target.timeAt(ev.clientX) === undefined) return;
    drag = { x: ev.clientX, moved: false, id: ev.pointerId };
  });
  el.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const dx = ev.clientX - drag.x;
    if (!drag.moved && Math.abs(dx) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      el.setPointerCapture(ev.pointerId);
      el.classList.add('dragging');
    }
    target.view.panBy(-dx * target.nsPerPx());
    drag.x = ev.clientX;
    target.changed();
  });
  const end = (ev: PointerEvent): void => {
    if (!drag || ev.pointerId !== drag.id) return;
    lastWasDrag = drag.moved;
    if (drag.moved && el.hasPointerCapture(ev.pointerId)) el.releasePointerCapture(ev.pointerId);
    el.classList.remove('dragging');
    drag = undefined;
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', end);

  window.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement | null;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const view = target.view;
    const span = view.window.end - view.window.start;
    switch (ev.key) {
      case '+':
      case '=':
        view.zoomCenter(1 / ZOOM_STEP);
        break;
      case '-':
      case '_':
        view.zoomCenter(ZOOM_STEP);
        break;
      case '0':
        view.fit();
        break;
      case 'ArrowLeft':
        view.panBy(-span * 0.1);
        break;
      case 'ArrowRight':
        view.panBy(span * 0.1);
        break;
      case 'Home':
        view.set({ start: view.fullWindow.start, end: view.fullWindow.start + span });
        break;
      case 'End':
        view.set({ start: view.fullWindow.end - span, end: view.fullWindow.end });
        break;
      default:
        return;
    }
    ev.preventDefault();
    target.changed();
  });

  return () => {
    const was = lastWasDrag;
    lastWasDrag = false;
    return was;
  };
}
