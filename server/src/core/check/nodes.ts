import { diagnostic, type Diagnostic } from '../diagnostics';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { KEYWORD_NAMES } from '../syntax/lexer';

/**
 * The most nodes a scenario may declare (DS173). The simulator keeps a
 * vector clock of every node's width per node and per recorded event, and
 * the network a parameter set and random stream per directed link, so
 * memory and time grow with the square of the node count; 1,000 nodes keep
 * a run's setup under a second and a recorded event under ~4 KB.
 */
export const MAX_NODES = 1000;

export interface DeclaredNode {
  readonly name: string;
  readonly index: number;
  readonly range: SourceRange;
}

/**
 * The node names a scenario declares, in declaration order, and every use of
 * them. Ranges `n1..n5` expand to n1, n2, …, n5 (same prefix, increasing
 * numbers, at most 1,000 nodes).
 */
export class NodeTable {
  readonly nodes: DeclaredNode[] = [];
  private readonly byName = new Map<string, DeclaredNode>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  declare(ref: A.NodeRef): DeclaredNode[] {
    const names = this.expand(ref);
    const declared: DeclaredNode[] = [];
    if (this.nodes.length + names.length > MAX_NODES) {
      this.diagnostics.push(diagnostic('DS173', `this makes ${(this.nodes.length + names.length).toLocaleString('en-US')} nodes; a scenario holds at most ${MAX_NODES.toLocaleString('en-US')}`, ref.range));
      return declared;
    }
    for (const name of names) {
      if ((KEYWORD_NAMES as readonly string[]).includes(name)) {
        this.diagnostics.push(diagnostic('DS114', `'${name}' is a keyword and cannot name a node; pick another name`, ref.range));
        continue;
      }
      const previous = this.byName.get(name);
      if (previous) {
        this.diagnostics.push(diagnostic('DS111', `node '${name}' is declared twice; remove one`, ref.range, [
          { message: `'${name}' first declared here`, range: previous.range },
        ]));
        continue;
      }
      const node = { name, index: this.nodes.length, range: ref.range };
      this.nodes.push(node);
      this.byName.set(name, node);
      declared.push(node);
    }
    return declared;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The node's index, or undefined after reporting DS110 with a suggestion. */
  resolve(name: A.Name): number | undefined {
    const node = this.byName.get(name.text);
    if (node) return node.index;
    this.diagnostics.push(diagnostic('DS110', `unknown node '${name.text}'${this.suggest(name.text)}`, name.range));
    return undefined;
  }

  /** Resolves references that may be ranges (`n1..n3`); undefined if any is unknown. */
  resolveRefs(refs: readonly A.NodeRef[]): number[] | undefined {
    const out: number[] = [];
    let ok = true;
    for (const ref of refs) {
      const names = this.expand(ref);
      for (const n of names) {
        const index = this.resolve({ text: n, range: ref.range });
        if (index === undefined) ok = false;
        else out.push(index);
      }
    }
    return ok ? out : undefined;
  }

  /** For option values: names and `a..b` ranges written as values. */
  resolveValues(values: readonly A.Value[]): string[] | undefined {
    const refs: A.NodeRef[] = [];
    for (const v of values) {
      if (v.kind === 'name' && !v.args) refs.push({ first: { text: v.name, range: v.range }, range: v.range });
      else if (v.kind === 'range' && v.low.kind === 'name' && v.high.kind === 'name') {
        refs.push({ first: { text: v.low.name, range: v.low.range }, last: { text: v.high.name, range: v.high.range }, range: v.range });
      } else {
        this.diagnostics.push(diagnostic('DS121', 'expected a node name here', v.range));
        return undefined;
      }
    }
    const indices = this.resolveRefs(refs);
    return indices?.map((i) => this.nodes[i]!.name);
  }

  private expand(ref: A.NodeRef): string[] {
    if (!ref.last) return [ref.first.text];
    const a = /^(.*?)(\d+)$/.exec(ref.first.text);
    const b = /^(.*?)(\d+)$/.exec(ref.last.text);
    if (!a || !b || a[1] !== b[1]) {
      this.diagnostics.push(diagnostic('DS113', `'${ref.first.text}..${ref.last.text}' is not a numbered range; write e.g. n1..n5`, ref.range));
      return [];
    }
    const from = Number(a[2]);
    const to = Number(b[2]);
    if (to < from || to - from >= 1000) {
      this.diagnostics.push(diagnostic('DS113', `range '${ref.first.text}..${ref.last.text}' must count up and hold at most 1000 nodes`, ref.range));
      return [];
    }
    const width = a[2]!.length === b[2]!.length && a[2]!.startsWith('0') ? a[2]!.length : 0;
    const names: string[] = [];
    for (let i = from; i <= to; i++) names.push(`${a[1]}${String(i).padStart(width, '0')}`);
    return names;
  }

  private suggest(name: string): string {
    const close = this.nodes.map((n) => n.name).filter((n) => editDistance(n.toLowerCase(), name.toLowerCase()) <= Math.max(1, Math.floor(name.length / 3)));
    if (close.length > 0) return `; did you mean '${close[0]}'?`;
    if (this.nodes.length === 0) return '; declare it with `nodes NAME`';
    return `; declared nodes: ${this.nodes.slice(0, 8).map((n) => n.name).join(', ')}${this.nodes.length > 8 ? ', …' : ''}`;
  }
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
