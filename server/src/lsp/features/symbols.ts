import type { IToken } from 'chevrotain';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { ParseResult } from '../../core/syntax/parse';
import type * as A from '../../core/syntax/ast';
import { toLspRange } from '../convert';

/** The outline: scenario, nodes, network, clocks, messages, rules, faults, invariants, expectations, protocols and their members. */
export function documentSymbols(parsed: ParseResult, text: string): DocumentSymbol[] {
  const symbol = (name: string, detail: string, kind: SymbolKind, range: A.Located['range'], selection: A.Located['range'] = range, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name || '?',
    detail,
    kind,
    range: toLspRange(range),
    selectionRange: toLspRange(selection),
    ...(children ? { children } : {}),
  });
  const textOf = (r: A.Located['range']): string => text.slice(r.startOffset, r.endOffset).replace(/\s+/g, ' ');
  const out: DocumentSymbol[] = [];
  for (const s of parsed.ast.statements) {
    switch (s.kind) {
      case 'scenario': out.push(symbol(s.name.text, 'scenario', SymbolKind.Namespace, s.range, s.name.range)); break;
      case 'nodes':
        for (const r of s.refs) out.push(symbol(r.last ? `${r.first.text}..${r.last.text}` : r.first.text, s.protocol ? `node · ${s.protocol.name.text}` : 'node', SymbolKind.Object, r.range));
        break;
      case 'network': out.push(symbol('network', 'defaults', SymbolKind.Struct, s.range)); break;
      case 'link': out.push(symbol(`link ${textOf(s.link.range)}`, 'link', SymbolKind.Struct, s.range, s.link.range)); break;
      case 'clock': out.push(symbol(`clock ${s.nodes.map((n) => textOf(n.range)).join(', ')}`, textOf(s.range).replace(/^clock [^{]*/, ''), SymbolKind.Property, s.range)); break;
      case 'sync': out.push(symbol(`sync ${s.protocol.name.text}`, 'protocol', SymbolKind.Module, s.range, s.protocol.name.range)); break;
      case 'at':
      case 'every': out.push(symbol(textOf(s.action.range), `${s.kind} ${textOf((s.kind === 'at' ? s.time : s.period).range)}`, SymbolKind.Event, s.range, s.action.range)); break;
      case 'on': out.push(symbol(`on ${s.node.text} receive ${s.label ? `"${s.label.value}"` : 'any'}`, 'rule', SymbolKind.Method, s.range, s.node.range)); break;
      case 'faults':
        out.push(symbol('faults', `${s.faults.length} faults`, SymbolKind.Array, s.range, s.range, s.faults.map((f) => symbol(textOf(f.range), f.kind, SymbolKind.Event, f.range))));
        break;
      case 'invariant': out.push(symbol(textOf(s.range).replace(/^invariant /, ''), 'invariant', SymbolKind.Boolean, s.range, s.name.range)); break;
      case 'expect': out.push(symbol(textOf(s.range).replace(/^expect /, ''), 'expect', SymbolKind.Boolean, s.range)); break;
      case 'protocol': out.push(symbol(s.name.text, s.serves ? `protocol · serves ${s.serves.text}` : 'protocol', SymbolKind.Module, s.range, s.name.range, s.members.map((m) => memberSymbol(m, symbol)))); break;
    }
  }
  return out;
}

type MakeSymbol = (name: string, detail: string, kind: SymbolKind, range: A.Located['range'], selection?: A.Located['range'], children?: DocumentSymbol[]) => DocumentSymbol;

/** A protocol member in the outline: options, constants, messages (with their fields), state, functions, handlers. */
function memberSymbol(m: A.ProtocolMember, symbol: MakeSymbol): DocumentSymbol {
  switch (m.kind) {
    case 'option': return symbol(m.name.text, `option: ${m.choices ? m.choices.map((c) => JSON.stringify(c.value)).join(' | ') : m.optionKind.map((k) => k.text).join(' ')}`, SymbolKind.Property, m.range, m.name.range);
    case 'const': return symbol(m.name.text, m.type ? `const: ${m.type.text}` : 'const', SymbolKind.Constant, m.range, m.name.range);
    case 'message':
      return symbol(m.name.text, 'message', SymbolKind.Struct, m.range, m.name.range, m.fields.map((f) => symbol(f.name.text, f.type.text, SymbolKind.Field, f.range, f.name.range)));
    case 'state': return symbol(m.name.text, `${m.durability}: ${m.type.text}`, SymbolKind.Variable, m.range, m.name.range);
    case 'fn': return symbol(m.name.text, `fn(${m.params.map((p) => `${p.name.text}: ${p.type.text}`).join(', ')}): ${m.result.text}`, SymbolKind.Function, m.range, m.name.range);
    case 'handler': {
      const t = m.trigger;
      const name = t.kind === 'start' ? 'on start' : t.kind === 'timer' ? `on timer ${t.timer.text}` : `on ${t.message.text}${t.payload ? `(${t.payload.text})` : ''}${t.sender ? ` from ${t.sender.text}` : ''}`;
      return symbol(name, m.guard ? 'handler · when …' : 'handler', SymbolKind.Event, m.range, t.range);
    }
  }
}

/** Folding: multi-line `{ … }` blocks, block comments, and runs of line comments. */
export function foldingRanges(parsed: ParseResult): FoldingRange[] {
  const out: FoldingRange[] = [];
  const open: IToken[] = [];
  for (const t of parsed.tokens) {
    if (t.tokenType.name === 'LCurly') open.push(t);
    else if (t.tokenType.name === 'RCurly') {
      const start = open.pop();
      if (start && t.startLine! > start.startLine!) out.push({ startLine: start.startLine! - 1, endLine: t.startLine! - 2 >= start.startLine! - 1 ? t.startLine! - 2 : start.startLine! - 1 });
    }
  }
  let runStart: IToken | undefined;
  let runEnd: IToken | undefined;
  const closeRun = (): void => {
    if (runStart && runEnd && runEnd.startLine! > runStart.startLine!) out.push({ startLine: runStart.startLine! - 1, endLine: runEnd.startLine! - 1, kind: FoldingRangeKind.Comment });
    runStart = runEnd = undefined;
  };
  for (const c of parsed.comments) {
    if (c.tokenType.name === 'BlockComment') {
      closeRun();
      if (c.endLine! > c.startLine!) out.push({ startLine: c.startLine! - 1, endLine: c.endLine! - 1, kind: FoldingRangeKind.Comment });
    } else if (runEnd && c.startLine === runEnd.startLine! + 1) {
      runEnd = c;
    } else {
      closeRun();
      runStart = runEnd = c;
    }
  }
  closeRun();
  return out;
}
