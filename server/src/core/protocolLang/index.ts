import type { OptionContext } from '../check/options';
import { closestName } from '../check/suggest';
import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import { CLIENT_PROTOCOL } from '../protocols/client';
import type { ProtocolDefinition } from '../protocols/protocol';
import type * as A from '../syntax/ast';
import { KEYWORD_NAMES } from '../syntax/lexer';
import type { CHandler } from './checkedStmt';
import { checkDeclarations } from './declarations';
import { writtenDefinition, type WrittenProtocolDefinition } from './definition';
import { ProtocolScope } from './environment';
import { kvMessages } from './kvConvention';
import { checkHandler, type Usage } from './statements';
import { unreadStateWarnings, usageWarnings } from './usage';

export { isWrittenProtocol, type WrittenProtocolDefinition } from './definition';

/** The protocols a file writes, checked, as definitions the scenario binds like built-in ones. */
export interface WrittenProtocols {
  readonly definitions: readonly WrittenProtocolDefinition[];
  /** DS194 (state never read), once the scenario's properties are known: the property names they read. */
  reportUnread(readByScenario: ReadonlySet<string>): void;
}

/**
 * Checks every `protocol NAME { … }` of a file: names (DS195 for a built-in
 * protocol's name, DS112 for a second protocol of a name), declarations,
 * handlers, and the usage warnings. Every protocol yields a definition, even
 * one with errors (so its bindings get no "unknown protocol" noise); only an
 * error-free one can run, and a file with errors never runs anyway.
 */
export function checkWrittenProtocols(decls: readonly A.ProtocolDecl[], builtIn: readonly ProtocolDefinition[], diagnostics: Diagnostic[], optionCtx: OptionContext): WrittenProtocols {
  const push = (d: Diagnostic): void => void diagnostics.push(d);
  const definitions: WrittenProtocolDefinition[] = [];
  const unread: ((names: ReadonlySet<string>) => void)[] = [];
  const seen = new Map<string, A.Name>();
  for (const decl of decls) {
    const name = decl.name.text;
    if (builtIn.some((p) => p.name === name) || name === CLIENT_PROTOCOL) {
      push(diagnostic('DS195', `'${name}' is the name of a built-in protocol; give this protocol another name (e.g. 'my_${name}')`, decl.name.range));
    } else if ((KEYWORD_NAMES as readonly string[]).includes(name)) {
      push(diagnostic('DS195', `'${name}' is a keyword; give this protocol another name`, decl.name.range));
    }
    const first = seen.get(name);
    if (first) {
      push(diagnostic('DS112', `protocol '${name}' is declared twice; rename one`, decl.name.range, [{ message: 'first declared here', range: first.range }]));
      continue;
    }
    seen.set(name, decl.name);
    if (decl.serves && decl.serves.text !== 'kv') {
      const close = closestName(decl.serves.text, ['kv']);
      const d = diagnostic('DS175', `'serves ${decl.serves.text}': the only client convention is 'kv' (key-value operations from 'client' statements)`, decl.serves.range);
      push(close ? withFix(d, { title: "Change to 'kv'", range: decl.serves.range, newText: 'kv' }) : d);
    }
    const ps = new ProtocolScope(name, diagnostics);
    const declared = checkDeclarations(decl, ps, optionCtx, decl.serves?.text === 'kv' ? kvMessages() : []);
    const usage: Usage = { timersSet: new Set(), timersUsed: new Map(), messagesSent: new Set() };
    const handlers: CHandler[] = [];
    const once = new Map<string, A.Located>();
    for (const m of decl.members) {
      if (m.kind !== 'handler') continue;
      const key = m.trigger.kind === 'start' ? 'on start' : m.trigger.kind === 'timer' ? `on timer ${m.trigger.timer.text}` : undefined;
      if (key) {
        const earlier = once.get(key);
        if (earlier) push(diagnostic('DS112', `'${key}' is written twice; merge the two handlers`, m.trigger.range, [{ message: 'first written here', range: earlier.range }]));
        else once.set(key, m.trigger);
      }
      const h = checkHandler(m, declared, ps, usage);
      if (h) handlers.push(h);
    }
    usageWarnings(decl, declared, usage, push);
    // A protocol with errors has expressions that were never checked: what they read is unknown.
    if (ps.errorCount === 0) unread.push((names) => unreadStateWarnings(declared, ps, names, push));
    const runnable = ps.errorCount === 0 ? handlers : undefined;
    definitions.push(writtenDefinition(decl, declared, runnable, usage.messagesSent, () => ps.checker.slots));
  }
  return { definitions, reportUnread: (names) => unread.forEach((f) => f(names)) };
}
