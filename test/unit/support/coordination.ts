import * as fs from 'node:fs';
import { traceToJson } from '../../../server/src/core/sim/json';
import type { PropertyValue } from '../../../server/src/core/protocols/protocol';
import type { RunResult } from '../../../server/src/core/sim/result';
import type { TraceEvent, Violation } from '../../../server/src/core/sim/trace';
import { repoPath, runText } from './scenario';

/** Helpers for the transaction and coordination protocol tests. */

export function sample(name: string): string {
  return fs.readFileSync(repoPath('samples', name), 'utf8');
}

/** Note events whose data has `key` (optionally equal to `value`), with node names. */
export function notes(r: RunResult, key: string, value?: string | number | boolean): (TraceEvent & { name: string })[] {
  return r.events
    .filter((e) => e.kind === 'note' && e.data !== undefined && key in e.data && (value === undefined || e.data[key] === value))
    .map((e) => ({ ...e, name: r.model.nodes[e.node]?.name ?? '*' }));
}

/** The violation of the invariant written as `text`, if any. */
export function violation(r: RunResult, text: string): Violation | undefined {
  return r.violations.find((v) => v.invariant === text);
}

export function finalProps(r: RunResult, node: string): Readonly<Record<string, PropertyValue>> {
  return r.final.find((n) => n.name === node)!.properties;
}

/** Same seed → byte-identical JSON; returns the trace for further comparison. */
export function traceOf(text: string, seed?: number): string {
  return traceToJson(runText(text, seed === undefined ? {} : { seed }));
}

export const ms = (n: number): number => Math.round(n * 1_000_000);
