import type { IToken } from 'chevrotain';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { ParseResult } from '../../core/syntax/parse';
import type * as A from '../../core/syntax/ast';
import { toLspRange } from '../convert';

/** The outline: scenario, nodes, network, clocks, messages, rules, faults, invariants, expectations. */
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
    }
  }
  return out;
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
