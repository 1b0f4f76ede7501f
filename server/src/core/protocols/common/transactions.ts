import { diagnostic } from '../../diagnostics';
import type { OptionSpec } from '../../check/options';
import type { BoundProtocol, NodeContext, PropertySpec, PropertyValue } from '../protocol';
import type { Diagnostic } from '../../diagnostics';
import { DurableLog } from './durableLog';
import { OptionValues } from './optionValues';
import type { WorkloadSpec } from './workload';

/** Shared by two_phase_commit and three_phase_commit: options, roles, the transaction log, properties. */

import type { Decision } from '../coordinationNotes';

export type { Decision };
/** What a node forces to its log, per transaction. */
export type TxnEvent = 'begin' | 'yes' | 'no' | 'precommit' | 'commit' | 'abort' | 'end';

export const COMMIT_OPTIONS: readonly OptionSpec[] = [
  { key: 'coordinator', type: 'node', required: true, doc: 'the node that runs the transactions; every other bound node is a participant', example: 'C' },
  { key: 'vote_no', type: 'nodes', doc: 'participants that vote no on every transaction', example: 'P2' },
  { key: 'timeout', type: 'duration', min: 1, doc: 'how long a node waits for votes, acknowledgements or a decision before acting (default 200ms)', example: '200ms' },
  { key: 'transactions', type: 'integer', min: 0, max: 100_000, doc: 'how many transactions the coordinator runs (default 1)', example: '3' },
  { key: 'every', type: 'duration-range', doc: "time between transactions by the coordinator's clock; the first starts one interval in (default 300ms)", example: '300ms' },
];

export const COMMIT_PROPERTIES: readonly PropertySpec[] = [
  { name: 'state', type: 'string', doc: 'where the latest transaction stands here: idle, waiting, uncertain, precommitted, committed or aborted' },
  { name: 'decision', type: 'string', doc: 'outcome of the latest transaction known here: commit, abort or none' },
  { name: 'committed', type: 'int', doc: 'transactions committed here' },
  { name: 'aborted', type: 'int', doc: 'transactions aborted here' },
  { name: 'blocked', type: 'int', doc: 'transactions this node voted yes on and has no decision for yet' },
];

export interface CommitConfig {
  readonly coordinator: string;
  readonly participants: readonly string[];
  readonly votesNo: boolean;
  readonly timeout: number;
  readonly workload: WorkloadSpec;
}

export function commitConfig(ctx: NodeContext): CommitConfig {
  const o = new OptionValues(ctx.options);
  const coordinator = o.node('coordinator')!;
  return {
    coordinator,
    participants: ctx.members.filter((m) => m !== coordinator),
    votesNo: o.nodes('vote_no').includes(ctx.self),
    timeout: o.number('timeout', 200_000_000),
    workload: { count: o.number('transactions', 1), every: o.range('every', { low: 300_000_000, high: 300_000_000 }) },
  };
}

/** The coordinator must be bound, there must be a participant, and only participants vote. */
export function validateCommit(binding: BoundProtocol, report: (d: Diagnostic) => void): void {
  const o = new OptionValues(binding.options);
  const where = (key: string) => binding.ast.options.find((s) => s.key.text === key)?.range ?? binding.ast.range;
  const coordinator = o.node('coordinator');
  if (coordinator !== undefined && !binding.nodes.includes(coordinator)) {
    report(diagnostic('DS141', `coordinator '${coordinator}' does not run ${binding.ast.name.text}; bind it: nodes ${[coordinator, ...binding.nodes].join(', ')} run ${binding.ast.name.text}`, where('coordinator')));
  }
  if (binding.nodes.length < 2) report(diagnostic('DS141', `${binding.ast.name.text} needs a coordinator and at least one participant`, binding.ast.range));
  for (const n of o.nodes('vote_no')) {
    if (n === coordinator || !binding.nodes.includes(n)) report(diagnostic('DS141', `'${n}' in vote_no is not a participant of ${binding.ast.name.text}`, where('vote_no')));
  }
}

/** A node's durable transaction log, replayed into per-transaction facts. */
export class TxnLog {
  private readonly log: DurableLog<{ readonly txn: number; readonly event: TxnEvent }>;
  private readonly facts = new Map<number, Set<TxnEvent>>();
  private latest = 0;

  constructor(ctx: NodeContext) {
    this.log = new DurableLog(ctx.stable, 'txn-log');
    for (const r of this.log.records()) this.add(r.txn, r.event);
  }

  /** Forces the fact to disk; call before sending anything that depends on it. */
  record(txn: number, event: TxnEvent): void {
    if (this.has(txn, event)) return;
    this.log.append({ txn, event });
    this.add(txn, event);
  }

  has(txn: number, event: TxnEvent): boolean {
    return this.facts.get(txn)?.has(event) ?? false;
  }

  decision(txn: number): Decision | undefined {
    return this.has(txn, 'commit') ? 'commit' : this.has(txn, 'abort') ? 'abort' : undefined;
  }

  /** Voted yes and no decision yet: the participant may not decide alone. */
  uncertain(txn: number): boolean {
    return this.has(txn, 'yes') && this.decision(txn) === undefined;
  }

  txns(): number[] {
    return [...this.facts.keys()].sort((a, b) => a - b);
  }

  /** The common properties; `state` names the latest transaction's state. */
  inspect(state: (txn: number) => string): Record<string, PropertyValue> {
    let committed = 0;
    let aborted = 0;
    let blocked = 0;
    for (const txn of this.facts.keys()) {
      const d = this.decision(txn);
      if (d === 'commit') committed++;
      else if (d === 'abort') aborted++;
      else if (this.has(txn, 'yes')) blocked++;
    }
    return {
      state: this.latest === 0 ? 'idle' : state(this.latest),
      decision: this.latest === 0 ? 'none' : (this.decision(this.latest) ?? 'none'),
      committed,
      aborted,
      blocked,
    };
  }

  private add(txn: number, event: TxnEvent): void {
    let set = this.facts.get(txn);
    if (!set) this.facts.set(txn, (set = new Set()));
    set.add(event);
    if (txn > this.latest) this.latest = txn;
  }
}
