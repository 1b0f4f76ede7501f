import type { SourceRange } from '../source';
import { type Expr, formulaExprs, freeNames } from '../expr/ast';
import type * as A from '../syntax/ast';

export interface NodeOccurrence {
  readonly name: string;
  readonly range: SourceRange;
  /** True where the node is declared (`nodes A, B`). */
  readonly declaration: boolean;
  /** True inside a numbered range `n1..n5`, which cannot be renamed name by name. */
  readonly inRange: boolean;
}

/** Occurrences per AST: hover, navigation and semantic tokens of one version ask for them again and again (a 20,000-line file has 40,000). */
const occurrencesOf = new WeakMap<A.DsyncFile, readonly NodeOccurrence[]>();

/**
 * Every place a node name is written, found by walking the AST (not by text
 * search, so labels, option keys and properties that happen to spell a node
 * name are not mistaken for it). Option values and invariant arguments count
 * when they spell a declared node. Computed once per AST.
 */
export function nodeOccurrences(file: A.DsyncFile): readonly NodeOccurrence[] {
  let found = occurrencesOf.get(file);
  if (!found) occurrencesOf.set(file, (found = findNodeOccurrences(file)));
  return found;
}

function findNodeOccurrences(file: A.DsyncFile): NodeOccurrence[] {
  const out: (NodeOccurrence & { fromValue: boolean })[] = [];
  const ref = (r: A.NodeRef, declaration: boolean): void => {
    const inRange = r.last !== undefined;
    out.push({ name: r.first.text, range: r.first.range, declaration, inRange, fromValue: false });
    if (r.last) out.push({ name: r.last.text, range: r.last.range, declaration, inRange, fromValue: false });
  };
  const name = (n: A.Name | undefined): void => {
    if (n) out.push({ name: n.text, range: n.range, declaration: false, inRange: false, fromValue: false });
  };
  // Option values and arguments are names of all sorts; they count only when they spell a declared node.
  const valueNames = (values: readonly A.Value[]): void => {
    for (const v of values) {
      if (v.kind === 'name' && !v.args) out.push({ name: v.name, range: v.range, declaration: false, inRange: false, fromValue: true });
      if (v.kind === 'range') valueNames([v.low, v.high]);
    }
  };
  // Free names in expressions are nodes, protocols or `nodes`: they count when they spell a declared node.
  const exprNames = (e: Expr): void => {
    for (const n of freeNames(e)) out.push({ name: n.text, range: n.range, declaration: false, inRange: false, fromValue: true });
  };
  const options = (settings: readonly A.OptionSetting[]): void => {
    for (const s of settings) valueNames(s.values.map((v) => v.value));
  };
  const ruleAction = (a: A.RuleAction): void => {
    if (a.kind === 'after') return ruleAction(a.then);
    if (a.kind === 'send') {
      name(a.from);
      name(a.target);
    }
  };
  const nodeAction = (a: A.NodeAction): void => {
    name(a.node);
    if (a.kind === 'send' && a.target !== 'everyone') name(a.target);
  };
  const link = (l: A.LinkRef): void => {
    name(l.from);
    name(l.to);
  };
  for (const s of file.statements) {
    switch (s.kind) {
      case 'nodes':
        s.refs.forEach((r) => ref(r, true));
        if (s.protocol) options(s.protocol.options);
        break;
      case 'link': link(s.link); break;
      case 'clock': s.nodes.forEach((r) => ref(r, false)); break;
      case 'sync': options(s.protocol.options); break;
      case 'at':
      case 'every': nodeAction(s.action); break;
      case 'on':
        name(s.node);
        name(s.sender);
        s.actions.forEach(ruleAction);
        break;
      case 'faults':
        for (const f of s.faults) {
          if (f.kind === 'partition') f.groups.forEach((g) => g.forEach((r) => ref(r, false)));
          else if (f.kind === 'crash' || f.kind === 'restart' || f.kind === 'clock-jump' || f.kind === 'clock-drift') name(f.node);
          else if (f.kind === 'drop' || f.kind === 'delay') link(f.link);
        }
        break;
      case 'invariant':
        valueNames(s.args);
        if (s.formula) formulaExprs(s.formula).forEach(exprNames);
        break;
      case 'expect': exprNames(s.condition); break;
      case 'scenario':
      case 'network':
        break;
    }
  }
  const declared = new Set(out.filter((o) => o.declaration).map((o) => o.name));
  return out.filter((o) => !o.fromValue || declared.has(o.name)).map(({ fromValue: _, ...o }) => o);
}
