import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoPath } from './support/scenario';

/**
 * The layering rules of docs/architecture.md, checked on the source text:
 * no import cycles (type-only imports count: a cycle of types is a cycle of
 * design), the core imports nothing of the editor, the CLI or the host, and
 * stays pure (no wall clock, no global randomness, no code from text).
 */
const SOURCE_DIRS = ['server/src', 'client/src'];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(repoPath(d));
  return out;
}

/** Every module specifier a file imports or re-exports, static or `import('…')`. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = specifiers(fs.readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(f), s))
      .map((t) => [`${t}.ts`, path.join(t, 'index.ts'), t].find((c) => known.has(c)))
      .filter((t): t is string => t !== undefined);
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each a cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The code of a file without its comments and string contents, for the purity checks. */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

/** What the pure core must not contain (in code, not comments or strings). */
const IMPURE = /\bDate\.now\b|\bnew Date\b|\bMath\.random\b|\bperformance\.now\b|\bprocess\.(?:env|argv|exit|stdout|stderr|stdin|hrtime|cwd|platform)\b|(?<![.\w$])eval\s*\((?![^)]*\)\s*[:{])|\bnew Function\b|\bsetTimeout\b|\bsetInterval\b/g;

describe('architecture', () => {
  const files = sourceFiles();
  const rel = (f: string): string => path.relative(repoPath(), f);

  test('the purity pattern tells the global eval from a method of that name', () => {
    const hits = (code: string): number => [...codeOnly(code).matchAll(IMPURE)].length;
    assert.equal(hits('const f = eval(text);'), 1);
    assert.equal(hits('x = new Function("a", body); Math.random(); Date.now();'), 3);
    assert.equal(hits('this.eval(c, s); class E { eval(c: Checked): V { return v; } }'), 0);
  });

  test('the cycle finder finds a cycle (so an empty answer means something)', () => {
    assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])).map((c) => c.sort()), [['a', 'b', 'c']]);
    assert.deepEqual(specifiers("import type { A } from './a';\nexport * from \"./b\";\nconst x: import('./c').C = 1;"), ['./a', './b', './c']);
  });

  test('no import cycles in the server, the core or the client', () => {
    assert.ok(files.length > 100, `${files.length} files read`);
    assert.deepEqual(cycles(importGraph(files)).map((c) => c.map(rel).sort()), []);
  });

  test('the core imports nothing from the language server, the CLI, the shared shell code, VS Code or the host', () => {
    const core = repoPath('server/src/core');
    const bad: string[] = [];
    for (const f of files.filter((x) => x.startsWith(core + path.sep))) {
      for (const s of specifiers(fs.readFileSync(f, 'utf8'))) {
        const target = s.startsWith('.') ? path.resolve(path.dirname(f), s) : s;
        const outside = s.startsWith('.') ? !target.startsWith(core + path.sep) && target !== core : s !== 'chevrotain';
        if (outside) bad.push(`${rel(f)} imports ${s}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  test('the core is pure: no wall clock, no global randomness, no code built from text', () => {
    const core = repoPath('server/src/core');
    const bad: string[] = [];
    for (const f of files.filter((x) => x.startsWith(core + path.sep))) {
      const code = codeOnly(fs.readFileSync(f, 'utf8'));
      for (const m of code.matchAll(IMPURE)) {
        bad.push(`${rel(f)}: ${m[0]}`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
