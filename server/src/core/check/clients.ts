import { diagnostic } from '../diagnostics';
import type { ProtocolInstance } from '../model';
import { clientDefinition, DEFAULT_CLIENT_TIMEOUT, type ClientOpSpec } from '../protocols/client';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';
import { checkOptions, describeValueKind, type OptionContext, type OptionSpec } from './options';
import { checkSchedule } from './script';

/** Exported for completion and hover, like the other option schemas. */
export const CLIENT_SETTINGS: readonly OptionSpec[] = [
  { key: 'timeout', type: 'duration', min: 1, doc: 'how long the client waits for an answer before retrying at another node', example: '100ms' },
];

/**
 * `client c1 [to …] { … }`: the client's node is declared with the other
 * nodes (so links, clocks and faults can name it); here its operations are
 * checked and it becomes an instance of the client protocol, paired with the
 * store it talks to. Runs after every protocol binding is known.
 */
export function checkClient(decl: A.ClientDecl, protocols: readonly ProtocolInstance[], ctx: CheckContext, optionCtx: OptionContext): ProtocolInstance | undefined {
  const self = ctx.nodes.has(decl.name.text) ? ctx.node(decl.name) : undefined;
  const settings = checkOptions(decl.settings, CLIENT_SETTINGS, `client '${decl.name.text}'`, optionCtx, decl.range);
  const ops = decl.items.map((item) => clientOp(item, ctx));
  const service = resolveService(decl, protocols, ctx);
  if (self === undefined || !service || ops.some((o) => o === undefined)) return undefined;
  const definition = clientDefinition({
    contacts: service.contacts,
    timeout: (settings.values.get('timeout') as number | undefined) ?? DEFAULT_CLIENT_TIMEOUT,
    ops: ops as ClientOpSpec[],
  });
  return { definition, nodes: [self], options: settings, range: decl.range, peers: [service.instance] };
}

function clientOp(item: A.ClientItem, ctx: CheckContext): ClientOpSpec | undefined {
  const schedule = checkSchedule(item, 'this operation time', ctx);
  const { verb, key, value } = item.op;
  const bad = (message: string, range: A.Located['range']): undefined => {
    ctx.diagnostics.push(diagnostic('DS162', message, range));
    return undefined;
  };
  if (verb.text === 'get') {
    if (value) return bad(`'get' takes no value: write 'get ${key.text}'`, value.range);
    return schedule && { op: 'get', key: key.text, ...schedule, range: item.range };
  }
  if (verb.text !== 'put') return bad(`unknown operation '${verb.text}'; a client can 'put KEY = VALUE' or 'get KEY'`, verb.range);
  if (!value) return bad(`'put' needs a value: write 'put ${key.text} = 1' or 'put ${key.text} = counter'`, item.op.range);
  let written: ClientOpSpec['value'];
  if (value.kind === 'number' || value.kind === 'string') written = { literal: value.value };
  else if (value.kind === 'name' && value.name === 'counter' && !value.args) written = 'counter';
  else return bad(`a put writes a number, a quoted string or 'counter', not ${describeValueKind(value)}`, value.range);
  return schedule && { op: 'put', key: key.text, value: written, ...schedule, range: item.range };
}

/** The store instance the client talks to and the nodes it contacts first. */
function resolveService(decl: A.ClientDecl, protocols: readonly ProtocolInstance[], ctx: CheckContext): { instance: number; contacts: string[] } | undefined {
  const names = ctx.nodes.nodes.map((n) => n.name);
  const stores = protocols.map((p, index) => ({ p, index })).filter(({ p }) => p.definition.serves === 'kv');
  const whole = (s: { p: ProtocolInstance; index: number }) => ({ instance: s.index, contacts: s.p.nodes.map((i) => names[i]!) });
  const fail = (message: string, range = decl.name.range): undefined => {
    ctx.diagnostics.push(diagnostic('DS141', message, range));
    return undefined;
  };
  const describe = stores.map(({ p }) => `${p.definition.name} on ${p.nodes.map((i) => names[i]).join(', ')}`).join('; ');
  if (decl.targets.length === 0) {
    if (stores.length === 1) return whole(stores[0]!);
    if (stores.length === 0) return fail(`client '${decl.name.text}' has no store to talk to; bind one, e.g. 'nodes n1..n3 run raft'`);
    return fail(`several stores run here (${describe}); say which with 'client ${decl.name.text} to NAME { … }' or 'to NODE, …'`);
  }
  const first = decl.targets[0]!;
  if (decl.targets.length === 1 && !first.last && !ctx.nodes.has(first.first.text)) {
    const named = stores.filter(({ p }) => p.definition.name === first.first.text);
    if (named.length === 1) return whole(named[0]!);
    if (named.length > 1) return fail(`'${first.first.text}' runs more than once here; name its nodes instead: 'to NODE, …'`, first.range);
    if (protocols.some((p) => p.definition.name === first.first.text)) return fail(`'${first.first.text}' is not a store a client can talk to`, first.range);
  }
  const targets = ctx.nodes.resolveRefs(decl.targets);
  if (!targets) return undefined;
  const self = names.indexOf(decl.name.text);
  if (targets.includes(self)) return fail(`a client cannot send its operations to itself`, first.range);
  const used = new Set(targets.map((t) => stores.findIndex(({ p }) => p.nodes.includes(t))));
  if (used.has(-1)) {
    const lost = targets.find((t) => !stores.some(({ p }) => p.nodes.includes(t)))!;
    return fail(`'${names[lost]}' runs no store a client can talk to${stores.length ? ` (${describe})` : ''}`, first.range);
  }
  if (used.size > 1) return fail(`these nodes run different stores (${describe}); a client talks to one`, first.range);
  return { instance: stores[[...used][0]!]!.index, contacts: targets.map((t) => names[t]!) };
}
