import { diagnostic } from '../diagnostics';
import type { InvariantInstance, ProtocolInstance } from '../model';
import { STATE_REPORTS, type StateReport } from '../protocols/protocol';
import { PROTOCOLS } from '../protocols/registry';
import type { CheckContext } from './context';

/** State that comes from scenario statements rather than a protocol binding: what is missing and how to add it. */
const FROM_STATEMENTS: Partial<Record<StateReport, { readonly missing: string; readonly fix: string }>> = {
  'kv-clients': { missing: 'the scenario has no `client` block', fix: 'add one (`client c1 { every 50ms put x = counter }`)' },
};

/**
 * DS139: a protocol invariant whose protocol state no node reports. It
 * reads only the notes of protocols that report what it watches, so with
 * none bound it sees nothing and "holds" whatever happens (`nodes A, B` +
 * `invariant election_safety` was ✓). Says what it watches and what would
 * report it.
 */
export function checkInvariantsWatchSomething(invariants: readonly InvariantInstance[], protocols: readonly ProtocolInstance[], ctx: CheckContext): void {
  const reported = new Set(protocols.filter((p) => p.nodes.length > 0).flatMap((p) => p.definition.reports ?? []));
  for (const inv of invariants) {
    const watches = inv.definition.watches;
    if (!watches || watches.some((w) => reported.has(w))) continue;
    const what = watches.map((w) => STATE_REPORTS[w]).join(' or ');
    const statements = watches.map((w) => FROM_STATEMENTS[w]).find((s) => s !== undefined);
    const runners = PROTOCOLS.filter((p) => p.reports?.some((r) => watches.includes(r))).map((p) => p.name);
    const why = statements
      ? `${statements.missing}, so it can only hold vacuously; ${statements.fix} or remove the invariant`
      : `no node runs ${orList(runners)}, so it can only hold vacuously; bind one (\`nodes n1..n3 run ${runners[0]}\`) or remove the invariant`;
    ctx.diagnostics.push(diagnostic('DS139', `'${inv.definition.name}' reads ${what}, but ${why}`, inv.range));
  }
}

function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
