import { diagnostic, DiagnosticList } from '../diagnostics';
import type * as A from '../syntax/ast';
import { formatDuration } from '../units';
import { NodeTable } from './nodes';
import { expectDuration } from './options';

/** Shared state of one check pass. */
export class CheckContext {
  /** Stores at most MAX_COLLECTED; the checker caps what it reports at MAX_DIAGNOSTICS. */
  readonly diagnostics = new DiagnosticList();
  readonly nodes = new NodeTable(this.diagnostics);
  /** Run length in ns, once the header is read (undefined when missing or broken). */
  duration: number | undefined;

  /**
   * A point in time within the run: a duration, not negative (DS122) and not
   * after the end (DS123).
   */
  time(v: A.Value, what: string): number | undefined {
    const ns = expectDuration(v, what, this);
    if (ns === undefined) return undefined;
    if (ns < 0) {
      this.diagnostics.push(diagnostic('DS122', `${what} ${v.kind === 'duration' ? v.text : ''} is before the start of the run; times count from 0`, v.range));
      return undefined;
    }
    if (this.duration !== undefined && ns > this.duration) {
      this.diagnostics.push(diagnostic('DS123', `${what} ${formatDuration(ns)} is after the end of the run (${formatDuration(this.duration)}); it would never happen. Lengthen 'run for' or move it earlier`, v.range));
      return undefined;
    }
    return ns;
  }

  /** A positive length of time (periods, windows, delays). */
  span(v: A.Value, what: string, allowZero = false): number | undefined {
    const ns = expectDuration(v, what, this);
    if (ns === undefined) return undefined;
    if (ns < 0 || (!allowZero && ns === 0)) {
      this.diagnostics.push(diagnostic(ns < 0 ? 'DS122' : 'DS129', `${what} must be ${allowZero ? 'zero or more' : 'longer than zero'}`, v.range));
      return undefined;
    }
    return ns;
  }

  node(name: A.Name): number | undefined {
    return this.nodes.resolve(name);
  }
}
