import { capDiagnostics, diagnostic, hasErrors, withFix, type Diagnostic } from '../diagnostics';
import { MAX_WRITTEN_NS, reportClockReach, reportHugeDurations, WRITTEN_LIMIT_TEXT } from './bounds';
import type { ClockModel, Expectation, FaultModel, InvariantInstance, LinkParams, Model, ProtocolInstance, RandomFaultSpec, Rule, Stimulus } from '../model';
import { PROTOCOLS } from '../protocols/registry';
import type { ProtocolDefinition } from '../protocols/protocol';
import { checkWrittenProtocols } from '../protocolLang';
import { protocolPropertiesRead } from './exprEnv';
import { formulaExprs } from '../expr/ast';
import type { ParseResult } from '../syntax/parse';
import type * as A from '../syntax/ast';
import { MS } from '../units';
import { checkExpectation, checkInvariant } from './assertions';
import { checkInvariantsWatchSomething } from './vacuity';
import { propertyEnv } from './exprEnv';
import { checkClient } from './clients';
import { CheckContext } from './context';
import { checkFault, checkFaultEffects } from './faults';
import { checkOptions, type LatencyModel, type OptionSpec, type ParsedOptions } from './options';
import { checkRandomFault } from './randomFaults';
import { checkRule, checkRulesCanFire, checkStimulus } from './script';
import { closestName } from './suggest';

export const SCENARIO_OPTIONS: readonly OptionSpec[] = [
  { key: 'seed', type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'the seed of every random choice in the run', example: '7' },
  { key: 'max_events', type: 'integer', min: 1, max: 1e9, doc: 'stop the run after this many events', example: '100000' },
];

export const NETWORK_OPTIONS: readonly OptionSpec[] = [
  { key: 'latency', type: 'latency', doc: 'one-way delay: 10ms, 5ms..20ms (uniform), normal(10ms, 2ms), exponential(5ms)', example: '5ms..20ms' },
  { key: 'loss', type: 'percent', doc: 'chance a message is lost', example: '1%' },
  { key: 'duplicate', type: 'percent', doc: 'chance a message is delivered twice', example: '0.5%' },
];

export const CLOCK_OPTIONS: readonly OptionSpec[] = [
  { key: 'offset', type: 'duration', signed: true, doc: 'the reading at true time 0', example: '+3ms' },
  { key: 'drift', type: 'ppm', min: -100_000, max: 100_000, doc: 'how fast the clock runs, in parts per million', example: '+50ppm' },
  { key: 'resolution', type: 'duration', doc: 'readings are rounded down to this tick', example: '1us' },
];

const DEFAULT_LATENCY: LatencyModel = { kind: 'fixed', ns: 10 * MS };
const PERFECT_CLOCK: ClockModel = { offset: 0, driftPpm: 0, resolution: 0 };

export interface CheckResult {
  /** Present only when the file has no errors (warnings allowed). */
  readonly model: Model | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Stage 2: AST → Model plus semantic diagnostics. Reports every problem it can find at once. */
export function check(parsed: ParseResult, text: string): CheckResult {
  // A file refused for its size was never parsed: its one diagnostic says so, without "no header" noise.
  if (parsed.diagnostics.some((d) => d.code === 'DS172')) return { model: undefined, diagnostics: [...parsed.diagnostics] };
  const ctx = new CheckContext();
  const statements = parsed.ast.statements;
  // The statement as written, without its keyword: `max_skew < 10ms`, `B.lamport >= 3 at end`.
  const sourceText = (r: A.Located, from: A.Located): string => text.slice(from.range.startOffset, r.range.endOffset).replace(/\s+/g, ' ');
  const optionCtx = { diagnostics: ctx.diagnostics, resolveNodes: (v: readonly A.Value[]) => ctx.nodes.resolveValues(v) };

  // Names first: every later statement refers to them.
  // A client is a node too (it has a clock and links), declared where it is written.
  // The same pass collects the statements read before the main pass (one walk over the file, not one per kind).
  const headers: A.ScenarioDecl[] = [];
  const networks: A.NetworkDecl[] = [];
  const protocolDecls: A.ProtocolDecl[] = [];
  for (const s of statements) {
    if (s.kind === 'nodes') for (const ref of s.refs) ctx.nodes.declare(ref);
    else if (s.kind === 'client') ctx.nodes.declare({ first: s.name, range: s.name.range });
    else if (s.kind === 'scenario') headers.push(s);
    else if (s.kind === 'network') networks.push(s);
    else if (s.kind === 'protocol') protocolDecls.push(s);
  }

  // The parser knows its longest duration: within the limit, no statement needs the walk that looks for longer ones.
  const mayHoldHugeDurations = !(parsed.largestDurationNs !== undefined && parsed.largestDurationNs <= MAX_WRITTEN_NS);
  const writtenTooLong = mayHoldHugeDurations && reportHugeDurations(statements, ctx.diagnostics);

  // Protocols written in the file, before every binding: `nodes … run NAME` looks here first.
  const written = checkWrittenProtocols(protocolDecls, PROTOCOLS, ctx.diagnostics, optionCtx);

  let seed = 0;
  let maxEvents: number | undefined;
  const header = headers[0];
  if (!header) {
    ctx.diagnostics.push(diagnostic('DS170', "no scenario header; start the file with 'scenario NAME { seed 1  run for 1s }'", firstLine(parsed)));
  } else {
    reportDuplicates(headers, 'scenario header', ctx);
    const options = checkOptions(header.options, SCENARIO_OPTIONS, `scenario '${header.name.text}'`, optionCtx, header.name.range);
    seed = (options.values.get('seed') as number | undefined) ?? 0;
    maxEvents = options.values.get('max_events') as number | undefined;
    if (!header.duration) {
      ctx.diagnostics.push(diagnostic('DS127', "the scenario needs a length: add 'run for 2s' to its header", header.name.range));
    } else {
      const d = ctx.span(header.duration, "'run for'");
      if (d !== undefined && d > MAX_WRITTEN_NS) ctx.diagnostics.push(diagnostic('DS129', `'run for' is limited to ${WRITTEN_LIMIT_TEXT} of simulated time`, header.duration.range));
      else ctx.duration = d;
    }
  }
  // A `nodes` line whose every name was refused has had its own error; "no nodes declared" would contradict it.
  if (ctx.nodes.nodes.length === 0 && statements.length > 0 && !statements.some((s) => s.kind === 'nodes' && s.refs.length > 0)) {
    ctx.diagnostics.push(diagnostic('DS171', "no nodes declared; add e.g. 'nodes A, B, C'", header?.name.range ?? firstLine(parsed)));
  }

  reportDuplicates(networks, 'network block', ctx);
  const network = linkParams(networks[0] ? checkOptions(networks[0].options, NETWORK_OPTIONS, 'network', optionCtx, networks[0].range) : undefined, undefined);

  const links = new Map<number, LinkParams & { range: A.Located['range'] }>();
  const n = ctx.nodes.nodes.length;
  const clocks = new Map<number, ClockModel>();
  const stimuli: Stimulus[] = [];
  const rules: { rule: Rule; stmt: A.OnStmt }[] = [];
  const faults: FaultModel[] = [];
  const randomFaults: RandomFaultSpec[] = [];
  const invariants: InvariantInstance[] = [];
  const protocols: ProtocolInstance[] = [];
  const expectDecls: A.ExpectDecl[] = [];
  const invariantDecls: A.InvariantDecl[] = [];
  const clientDecls: A.ClientDecl[] = [];

  for (const s of statements) {
    switch (s.kind) {
      case 'link': {
        const from = ctx.node(s.link.from);
        const to = ctx.node(s.link.to);
        const options = checkOptions(s.options, NETWORK_OPTIONS, `link ${s.link.from.text}${s.link.bidirectional ? '<->' : '->'}${s.link.to.text}`, optionCtx, s.range);
        if (from === undefined || to === undefined) break;
        if (from === to) {
          ctx.diagnostics.push(diagnostic('DS151', `a link needs two different nodes, not '${s.link.from.text}' twice`, s.link.range));
          break;
        }
        const pairs = s.link.bidirectional ? [[from, to], [to, from]] : [[from, to]];
        for (const [a, b] of pairs) {
          const key = a! * n + b!;
          const previous = links.get(key);
          if (previous) {
            ctx.diagnostics.push(diagnostic('DS112', `link ${ctx.nodes.nodes[a!]!.name} -> ${ctx.nodes.nodes[b!]!.name} is configured twice`, s.link.range, [{ message: 'first configured here', range: previous.range }]));
            continue;
          }
          links.set(key, { ...linkParams(options, network), range: s.range });
        }
        break;
      }
      case 'clock': {
        const targets = ctx.nodes.resolveRefs(s.nodes);
        const options = checkOptions(s.options, CLOCK_OPTIONS, 'clock', optionCtx, s.range);
        const twice: number[] = [];
        for (const t of targets ?? []) {
          if (clocks.has(t)) {
            twice.push(t);
            continue;
          }
          clocks.set(t, {
            offset: (options.values.get('offset') as number | undefined) ?? 0,
            driftPpm: (options.values.get('drift') as number | undefined) ?? 0,
            resolution: (options.values.get('resolution') as number | undefined) ?? 0,
            range: s.range,
          });
        }
        // One report per statement, however many nodes it configures again.
        if (twice.length > 0) {
          const names = twice.slice(0, 5).map((t) => `'${ctx.nodes.nodes[t]!.name}'`).join(', ') + (twice.length > 5 ? `, … (${twice.length} nodes)` : '');
          ctx.diagnostics.push(diagnostic('DS112', `the clock of ${names} is configured twice; configure each clock once`, s.range, [{ message: 'first configured here', range: clocks.get(twice[0]!)!.range! }]));
        }
        break;
      }
      case 'at':
      case 'every': {
        const stimulus = checkStimulus(s, ctx);
        if (stimulus) stimuli.push(stimulus);
        break;
      }
      case 'on': {
        const rule = checkRule(s, ctx);
        if (rule) rules.push({ rule, stmt: s });
        break;
      }
      case 'faults':
        for (const f of s.faults) {
          const fault = checkFault(f, ctx);
          if (fault) faults.push(fault);
        }
        for (const f of s.random ?? []) {
          const spec = checkRandomFault(f, ctx);
          if (spec) randomFaults.push(spec);
        }
        break;
      case 'invariant':
        invariantDecls.push(s);
        break;
      case 'nodes':
        if (s.protocol) {
          const members = ctx.nodes.resolveRefs(s.refs);
          const p = checkProtocol(s.protocol, 'nodes', members, ctx, optionCtx, written.definitions);
          if (p) protocols.push(p);
        }
        break;
      case 'sync': {
        const p = checkProtocol(s.protocol, 'sync', undefined, ctx, optionCtx, written.definitions);
        if (p) protocols.push(p);
        break;
      }
      case 'expect':
        expectDecls.push(s);
        break;
      case 'client':
        clientDecls.push(s);
        break;
      case 'scenario':
      case 'network':
      case 'protocol':
        break;
    }
  }
  // Clients after every binding: they may name a store declared below them.
  for (const c of clientDecls) {
    const p = checkClient(c, protocols, ctx, optionCtx);
    if (p) protocols.push(p);
  }
  // Properties after every binding: they name protocols as sets of the nodes bound to them.
  const env = propertyEnv(ctx.nodes.nodes.map((x) => x.name), protocols, written.definitions);
  for (const s of invariantDecls) {
    const inv = checkInvariant(s, sourceText(s, s.name), env, ctx);
    if (inv) invariants.push(inv);
  }
  const expectations: Expectation[] = [];
  for (const e of expectDecls) {
    const checked = checkExpectation(e, sourceText(e, e.condition), env, ctx);
    if (checked) expectations.push(checked);
  }
  written.reportUnread(protocolPropertiesRead([...invariantDecls.flatMap((i) => (i.formula ? formulaExprs(i.formula) : [])), ...expectDecls.map((e) => e.condition)]));
  checkRulesCanFire(rules, stimuli, protocols, ctx);
  // Only on a file without errors: a binding that failed to check would make every invariant of it look unwatched.
  if (!hasErrors(ctx.diagnostics)) checkInvariantsWatchSomething(invariants, protocols, ctx);
  // Stable: faults at the same time keep their written order, as the simulator applies them.
  const faultsInTimeOrder = faults.slice().sort((a, b) => a.time - b.time);
  checkFaultEffects(faultsInTimeOrder, ctx);

  if (header?.duration && ctx.duration !== undefined && !writtenTooLong) {
    const clockOf = (index: number): ClockModel => clocks.get(index) ?? PERFECT_CLOCK;
    reportClockReach({ duration: ctx.duration, range: header.duration.range }, ctx.nodes.nodes.map((node) => ({ name: node.name, clock: clockOf(node.index) })), faults, ctx.diagnostics);
  }

  // A value whose unit was already reported (DS105: `5xyz`, read as a bare 5) gets no second report from the checker.
  const unitReported = new Set(parsed.diagnostics.filter((d) => d.code === 'DS105').map((d) => d.range.startOffset));
  const all = [...parsed.diagnostics, ...(unitReported.size > 0 ? ctx.diagnostics.filter((d) => !unitReported.has(d.range.startOffset)) : ctx.diagnostics)];
  const failed = hasErrors(all) || ctx.diagnostics.droppedErrors > 0;
  const diagnostics = capDiagnostics(all, ctx.diagnostics.dropped);
  if (failed || !header || ctx.duration === undefined) return { model: undefined, diagnostics };
  const model: Model = {
    name: header.name.text,
    seed,
    duration: ctx.duration,
    maxEvents,
    nodes: ctx.nodes.nodes.map((node) => ({ index: node.index, name: node.name, range: node.range, clock: clocks.get(node.index) ?? PERFECT_CLOCK })),
    network,
    links,
    stimuli,
    rules: rules.map((r) => r.rule),
    faults: faultsInTimeOrder,
    invariants,
    expectations,
    protocols,
    source: parsed.ast,
    ...(randomFaults.length > 0 ? { randomFaults } : {}),
  };
  return { model, diagnostics };
}

function linkParams(options: ParsedOptions | undefined, defaults: LinkParams | undefined): LinkParams {
  const get = <T>(key: string): T | undefined => options?.values.get(key) as T | undefined;
  return {
    latency: get<LatencyModel>('latency') ?? defaults?.latency ?? DEFAULT_LATENCY,
    loss: get<number>('loss') ?? defaults?.loss ?? 0,
    duplicate: get<number>('duplicate') ?? defaults?.duplicate ?? 0,
  };
}

function checkProtocol(
  binding: A.ProtocolBinding,
  kind: 'nodes' | 'sync',
  members: number[] | undefined,
  ctx: CheckContext,
  optionCtx: Parameters<typeof checkOptions>[3],
  written: readonly ProtocolDefinition[],
): ProtocolInstance | undefined {
  const definition = written.find((p) => p.name === binding.name.text) ?? PROTOCOLS.find((p) => p.name === binding.name.text);
  if (!definition) {
    const known = [...written, ...PROTOCOLS].filter((p) => p.binding === kind).map((p) => p.name);
    const close = closestName(binding.name.text, known);
    const list = known.length ? `known here: ${known.join(', ')}` : `no protocol can be bound with '${kind}' yet`;
    const report = diagnostic('DS140', `unknown protocol '${binding.name.text}'; ${close ? `did you mean '${close}'? ` : ''}${list}`, binding.name.range);
    ctx.diagnostics.push(close ? withFix(report, { title: `Change to '${close}'`, range: binding.name.range, newText: close }) : report);
    return undefined;
  }
  if (definition.binding !== kind) {
    ctx.diagnostics.push(diagnostic('DS141', `'${definition.name}' is bound with '${definition.binding === 'sync' ? `sync ${definition.name} { … }` : `nodes … run ${definition.name}`}', not '${kind}'`, binding.name.range));
    return undefined;
  }
  const options = checkOptions(binding.options, definition.options, `protocol '${definition.name}'`, optionCtx, binding.range);
  const allNames = ctx.nodes.nodes.map((x) => x.name);
  const nodeNames = members ? members.map((i) => allNames[i]!) : (definition.members?.(options.values, allNames) ?? allNames);
  const before = ctx.diagnostics.length;
  definition.validate?.({ ast: binding, nodes: nodeNames, options: options.values }, (d) => ctx.diagnostics.push(d));
  if (ctx.diagnostics.length > before) return undefined;
  return { definition, nodes: nodeNames.map((x) => allNames.indexOf(x)), options, range: binding.range };
}

function reportDuplicates(decls: readonly A.Located[], what: string, ctx: CheckContext): void {
  for (const extra of decls.slice(1)) {
    ctx.diagnostics.push(diagnostic('DS112', `only one ${what} is allowed; merge this one into the first`, extra.range, [{ message: 'first one here', range: decls[0]!.range }]));
  }
}

function firstLine(parsed: ParseResult): A.Located['range'] {
  const first = parsed.ast.statements[0];
  return first ? { ...first.range, endLine: first.range.startLine, endOffset: first.range.startOffset + 1, endColumn: first.range.startColumn + 1 } : parsed.ast.range;
}
