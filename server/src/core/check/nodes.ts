import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { KEYWORD_NAMES } from '../syntax/lexer';
import { Suggester } from './suggest';

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
  /** Built on the first unknown name, after every declaration (declarations come first). */
  private suggester: Suggester | undefined;
  private readonly expansions = new Map<string, readonly string[]>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  declare(ref: A.NodeRef): DeclaredNode[] {
    const names = this.expand(ref);
    const declared: DeclaredNode[] = [];
    if (this.nodes.length + names.length > MAX_NODES) {
      this.diagnostics.push(diagnostic('DS173', `this makes ${(this.nodes.length + names.length).toLocaleString('en-US')} nodes; a scenario holds at most ${MAX_NODES.toLocaleString('en-US')}`, ref.range));
      return declared;
    }
    const twice: DeclaredNode[] = [];
    for (const name of names) {
      if ((KEYWORD_NAMES as readonly string[]).includes(name)) {
        this.diagnostics.push(diagnostic('DS114', `'${name}' is a keyword and cannot name a node; pick another name such as '${name}1' or '${name}_node'`, ref.range));
        continue;
      }
      const previous = this.byName.get(name);
      if (previous) {
        twice.push(previous);
        continue;
      }
      const node = { name, index: this.nodes.length, range: ref.range };
      this.suggester = undefined;
      this.nodes.push(node);
      this.byName.set(name, node);
      declared.push(node);
    }
    // One report per reference: a range declared again is one mistake, not one per name.
    const first = twice[0];
    if (first) {
      const what = twice.length === 1 ? `node '${first.name}' is` : `${twice.length} nodes of '${shorten(ref.first.text)}..${shorten(ref.last?.text ?? '')}' are`;
      this.diagnostics.push(diagnostic('DS111', `${what} declared twice; remove one`, ref.range, [{ message: `'${first.name}' first declared here`, range: first.range }]));
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
    if ((KEYWORD_NAMES as readonly string[]).includes(name.text)) {
      this.diagnostics.push(diagnostic('DS114', `'${name.text}' is a keyword and cannot name a node`, name.range));
      return undefined;
    }
    const report = diagnostic('DS110', `unknown node '${name.text}'${this.suggest(name.text)}`, name.range);
    const close = this.suggester?.closest(name.text);
    this.diagnostics.push(close === undefined ? report : withFix(report, { title: `Change to '${close}'`, range: name.range, newText: close }));
    return undefined;
  }

  /**
   * Resolves references that may be ranges (`n1..n3`); undefined if any is
   * unknown. A range with unknown names gets one DS110 listing them, not one
   * per name: 1,000 × `clock m1..m1000` must not make a million diagnostics.
   */
  resolveRefs(refs: readonly A.NodeRef[]): number[] | undefined {
    const out: number[] = [];
    let ok = true;
    for (const ref of refs) {
      if (!ref.last) {
        const index = this.resolve(ref.first);
        if (index === undefined) ok = false;
        else out.push(index);
        continue;
      }
      const missing: string[] = [];
      for (const n of this.expand(ref)) {
        const node = this.byName.get(n);
        if (node) out.push(node.index);
        else missing.push(n);
      }
      if (missing.length > 0) {
        ok = false;
        const shown = missing.slice(0, 5).map((m) => `'${m}'`).join(', ');
        this.diagnostics.push(diagnostic('DS110', `range '${shorten(ref.first.text)}..${shorten(ref.last.text)}' names ${missing.length === 1 ? 'an unknown node' : `${missing.length} unknown nodes`}: ${shown}${missing.length > 5 ? ', …' : ''}${this.suggest(missing[0]!)}`, ref.range));
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

  /**
   * The names of a range `n1..n5`. The bounds are counted as exact integers
   * (BigInt): `n9007199254740992..n9007199254740994` is past 2^53, where a
   * float loop would never end, and a 400-digit bound is not Infinity. The
   * size is checked before a single name is made.
   */
  private expand(ref: A.NodeRef): readonly string[] {
    if (!ref.last) return [ref.first.text];
    // The same range written again (`clock n1..n1000` in many statements) is expanded once.
    const key = `${ref.first.text}..${ref.last.text}`;
    const known = this.expansions.get(key);
    if (known) return known;
    const names = this.expandRange(ref, ref.last);
    if (names.length > 0) this.expansions.set(key, names);
    return names;
  }

  private expandRange(ref: A.NodeRef, last: A.Name): string[] {
    const a = /^(.*?)(\d+)$/.exec(ref.first.text);
    const b = /^(.*?)(\d+)$/.exec(last.text);
    if (!a || !b || a[1] !== b[1]) {
      this.diagnostics.push(diagnostic('DS113', `'${shorten(ref.first.text)}..${shorten(last.text)}' is not a numbered range; write e.g. n1..n5`, ref.range));
      return [];
    }
    const from = BigInt(a[2]!);
    const to = BigInt(b[2]!);
    if (to < from) {
      this.diagnostics.push(diagnostic('DS113', `range '${shorten(ref.first.text)}..${shorten(last.text)}' counts down; write the smaller number first`, ref.range));
      return [];
    }
    const count = to - from + 1n;
    if (count > BigInt(MAX_NODES)) {
      const shown = count < 10n ** 15n ? Number(count).toLocaleString('en-US') : `about 10^${count.toString().length - 1}`;
      this.diagnostics.push(diagnostic('DS113', `range '${shorten(ref.first.text)}..${shorten(last.text)}' holds ${shown} nodes; a scenario holds at most ${MAX_NODES.toLocaleString('en-US')}`, ref.range));
      return [];
    }
    const width = a[2]!.length === b[2]!.length && a[2]!.startsWith('0') ? a[2]!.length : 0;
    const names: string[] = [];
    // Numbers below 2^53 count as floats (exact there, and much faster than BigInt).
    if (to <= BigInt(Number.MAX_SAFE_INTEGER)) {
      for (let i = Number(from); i <= Number(to); i++) names.push(`${a[1]}${String(i).padStart(width, '0')}`);
    } else {
      for (let i = from; i <= to; i++) names.push(`${a[1]}${i.toString().padStart(width, '0')}`);
    }
    return names;
  }

  private suggest(name: string): string {
    this.suggester ??= new Suggester(this.nodes.map((n) => n.name));
    const close = this.suggester.closest(name);
    if (close !== undefined) return `; did you mean '${close}'?`;
    if (this.nodes.length === 0) return '; declare it with `nodes NAME`';
    return `; declared nodes: ${this.nodes.slice(0, 8).map((n) => n.name).join(', ')}${this.nodes.length > 8 ? ', …' : ''}`;
  }
}

/** A name as a message quotes it: long ones cut to 24 characters. */
export function shorten(name: string): string {
  return name.length > 24 ? `${name.slice(0, 24)}…` : name;
}
