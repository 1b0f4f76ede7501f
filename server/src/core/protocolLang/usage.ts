import { diagnostic, type Diagnostic } from '../diagnostics';
import type * as A from '../syntax/ast';
import type { Declarations } from './declarations';
import type { ProtocolScope } from './environment';
import type { Usage } from './statements';

/**
 * Warnings about parts of a protocol that do nothing: a timer handled or
 * cancelled but never set (DS192), a handler for a message no handler
 * sends (DS193), a `stable`/`var` nothing reads (DS194: neither the
 * protocol's code nor the scenario's properties), a store that never
 * answers its clients (DS176).
 */
export function usageWarnings(decl: A.ProtocolDecl, decls: Declarations, usage: Usage, push: (d: Diagnostic) => void): void {
  for (const [name, range] of usage.timersUsed) {
    if (!usage.timersSet.has(name)) push(diagnostic('DS192', `timer '${name}' is never set, so this never happens; set it with 'timer ${name} after 100ms'`, range));
  }
  for (const m of decl.members) {
    if (m.kind !== 'handler' || m.trigger.kind !== 'message') continue;
    const message = decls.messages.get(m.trigger.message.text);
    // The convention's request comes from clients, not from the protocol's own nodes.
    if (!message || message.wire === 'kv.request' || usage.messagesSent.has(message.name)) continue;
    push(diagnostic('DS193', `no handler sends ${message.name}, so this handler never runs; send it with 'send ${message.name} { … } to NODE' or 'broadcast ${message.name} { … }'`, m.trigger.message.range));
  }
  if (decl.serves?.text === 'kv' && !decl.members.some((m) => m.kind === 'handler' && m.trigger.kind === 'message' && m.trigger.message.text === 'KvRequest')) {
    push(diagnostic('DS176', `protocol '${decl.name.text}' serves kv but has no 'on KvRequest(r) from c' handler, so its clients never get an answer`, decl.serves.range));
  }
}

/**
 * DS194 after the scenario's properties are checked: a state variable only
 * an invariant or `expect` reads is read. `readByScenario` are the protocol
 * property names the scenario's expressions read.
 */
export function unreadStateWarnings(decls: Declarations, ps: ProtocolScope, readByScenario: ReadonlySet<string>, push: (d: Diagnostic) => void): void {
  for (const s of decls.state) {
    if (ps.reads.has(s.slot) || readByScenario.has(s.name)) continue;
    push(diagnostic('DS194', `${s.durability} '${s.name}' is never read: no handler, guard, invariant or expect reads it; use it or remove it`, s.nameRange));
  }
}
