import type { FaultModel, Model } from '../model';
import { CLIENT_PROTOCOL } from '../protocols/client';
import { Rng } from './rng';
import { MS } from '../units';

/**
 * Turns a scenario's `faults random { … }` block into ordinary faults for
 * one seed. The plan is a pure function of (model, seed), drawn from its own
 * stream, so `dsync run FILE --seed S` replays exactly what exploration saw
 * and the rest of the run's randomness does not depend on it.
 *
 * Per item and per period: `count` faults at whole-millisecond times drawn
 * uniformly in the period. A crash picks a running node and restarts it
 * after the window; a partition splits the nodes in two random sides for
 * the window; a drop cuts one random directed link for the window. A fault
 * that would overlap one of its own kind already in force is skipped (a
 * node that is down cannot crash, only one partition is in force at a time).
 */
export function planRandomFaults(model: Model, seed: number): FaultModel[] {
  const specs = model.randomFaults;
  if (!specs || specs.length === 0) return [];
  const rng = new Rng(seed, 'faults:random');
  const targets = faultTargets(model);
  const all = model.nodes.map((n) => n.index);
  const planned: FaultModel[] = [];
  const downUntil = new Map<number, number>();
  let partitionUntil = -1;
  for (const spec of specs) {
    for (let start = 0; start < model.duration; start += spec.period) {
      for (let c = 0; c < spec.count; c++) {
        // Every draw is made whether or not the fault is kept, so one skipped fault leaves the others in place.
        const time = start + Math.floor((rng.next() * spec.period) / MS) * MS;
        const a = rng.int(0, targets.length - 1);
        const b = rng.int(0, targets.length - 2);
        const sides = rng.nextUint32();
        if (time > model.duration || targets.length === 0) continue;
        const until = time + spec.window;
        switch (spec.kind) {
          case 'crash': {
            const node = targets[a]!;
            if ((downUntil.get(node) ?? -1) >= time) continue;
            downUntil.set(node, until);
            planned.push({ kind: 'crash', node, time, range: spec.range });
            if (until <= model.duration) planned.push({ kind: 'restart', node, time: until, range: spec.range });
            break;
          }
          case 'partition': {
            if (targets.length < 2 || partitionUntil >= time) continue;
            partitionUntil = until;
            planned.push({ kind: 'partition', groups: splitInTwo(all, targets, a, sides), time, until, range: spec.range });
            break;
          }
          case 'drop': {
            if (targets.length < 2) continue;
            const from = targets[a]!;
            const to = targets[b >= a ? b + 1 : b]!;
            planned.push({ kind: 'drop', links: [[from, to]], time, until, range: spec.range });
            break;
          }
        }
      }
    }
  }
  return planned.sort((x, y) => x.time - y.time);
}

/** The scenario's faults with the random plan merged in by time (written faults first at equal times). */
export function faultsForSeed(model: Model, seed: number): readonly FaultModel[] {
  const planned = planRandomFaults(model, seed);
  if (planned.length === 0) return model.faults;
  return [...model.faults, ...planned].sort((x, y) => x.time - y.time);
}

/** Nodes that random faults hit: the servers, i.e. nodes running a protocol other than a client; all nodes if none. */
function faultTargets(model: Model): number[] {
  const servers = new Set<number>();
  for (const p of model.protocols) if (p.definition.name !== CLIENT_PROTOCOL) for (const n of p.nodes) servers.add(n);
  return servers.size > 0 ? [...servers].sort((x, y) => x - y) : model.nodes.map((n) => n.index);
}

/**
 * Two non-empty sides of the targets: bit i of `bits` puts target i on side
 * 1; target `pinned` is forced to side 0 and, if every other bit is 0, the
 * next target to side 1. Other nodes (clients) follow the bits too.
 */
function splitInTwo(all: readonly number[], targets: readonly number[], pinned: number, bits: number): number[][] {
  const side = new Map<number, number>();
  all.forEach((n, i) => side.set(n, (bits >>> (i % 32)) & 1));
  side.set(targets[pinned]!, 0);
  if (!targets.some((t) => side.get(t) === 1)) side.set(targets[(pinned + 1) % targets.length]!, 1);
  return [all.filter((n) => side.get(n) === 0), all.filter((n) => side.get(n) === 1)];
}

