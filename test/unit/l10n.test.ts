import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

/**
 * The extension's manifest strings go through VS Code's l10n: package.json
 * holds `%key%` placeholders (whole string values only: VS Code replaces
 * nothing inside a longer string), package.nls.json the English text and
 * package.nls.zh-cn.json the Chinese.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(root, name), 'utf8'));
const english = read('package.nls.json') as Record<string, string>;
const chinese = read('package.nls.zh-cn.json') as Record<string, string>;

/** Every string value of the manifest, with where it is. */
function strings(value: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  return out;
}

const commandLinks = (text: string): string[] => [...text.matchAll(/\]\((command:[^)]*)\)/g)].map((m) => m[1]!);

describe('localisation (package.nls)', () => {
  const manifest = strings(read('package.json'), 'package');
  const placeholders = manifest.filter(([, v]) => /^%[^%\s]+%$/.test(v)).map(([at, v]) => [at, v.slice(1, -1)] as const);

  test('every %key% of package.json has an English and a Chinese text', () => {
    assert.ok(placeholders.length >= 30, `only ${placeholders.length} placeholders`);
    const missing = placeholders.filter(([, k]) => !english[k] || !chinese[k]).map(([at, k]) => `${at}: ${k}`);
    assert.deepEqual(missing, []);
  });

  test('both files have exactly the same keys, and no key is unused', () => {
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
    const used = new Set(placeholders.map(([, k]) => k));
    assert.deepEqual(Object.keys(english).filter((k) => !used.has(k)), []);
  });

  test('user-facing manifest strings are placeholders, not English left in package.json', () => {
    const visible = /\.(title|description|markdownDescription|displayName)$/;
    const literal = manifest.filter(([at, v]) => visible.test(at) && !/^%[^%\s]+%$/.test(v));
    assert.deepEqual(literal.map(([at]) => at), []);
  });

  test('the Chinese texts are translated and keep the same command links (the buttons do the same)', () => {
    for (const [key, en] of Object.entries(english)) {
      const zh = chinese[key]!;
      assert.ok(zh.trim().length > 0, key);
      if (en !== 'DSync') assert.notEqual(zh, en, `${key} is not translated`);
      assert.deepEqual(commandLinks(zh), commandLinks(en), key);
    }
  });
});

/**
 * Run-time strings: the extension's go through vscode.l10n.t and the
 * language server's (code lenses, statuses, messages; not diagnostics,
 * which are the CLI's too) through server/src/lsp/l10n.ts's `t`. Their keys
 * are the English texts: l10n/bundle.l10n.json lists every one (English
 * source), l10n/bundle.l10n.zh-cn.json translates every one.
 */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

const QUOTED = String.raw`'((?:[^'\\]|\\.)*)'`;
/** The literal first arguments of calls matching `callee`, unescaped, with the files they are in. */
function keysCalled(files: readonly string[], callee: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of text.matchAll(new RegExp(callee + String.raw`\(\s*` + QUOTED, 'g'))) found.set(JSON.parse(`"${m[1]!.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`), f);
  }
  return found;
}

describe('localisation (run-time strings: l10n bundles)', () => {
  const bundleEn = read('l10n/bundle.l10n.json') as Record<string, string>;
  const bundleZh = read('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;
  const clientFiles = sourceFiles('client/src').filter((f) => !f.includes(`${path.sep}webview${path.sep}`));
  const used = new Map([...keysCalled(clientFiles, String.raw`vscode\.l10n\.t`), ...keysCalled(sourceFiles('server/src/lsp'), String.raw`(?<![\w.])t`)]);

  test('package.json points VS Code at the bundles', () => {
    assert.equal((read('package.json') as { l10n?: string }).l10n, './l10n');
  });

  test('every key used in the code has an English source and a Chinese translation, and no key is unused', () => {
    assert.ok(used.size >= 40, `only ${used.size} keys found`);
    const missing = [...used].filter(([k]) => bundleEn[k] === undefined || bundleZh[k] === undefined).map(([k, f]) => `${f}: ${k}`);
    assert.deepEqual(missing, []);
    assert.deepEqual(Object.keys(bundleEn).filter((k) => !used.has(k)), [], 'keys no code uses');
    assert.deepEqual(Object.keys(bundleZh).sort(), Object.keys(bundleEn).sort());
  });

  test('the English source is the key itself; the Chinese keeps every placeholder and is translated', () => {
    const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [key, en] of Object.entries(bundleEn)) {
      assert.equal(en, key);
      const zh = bundleZh[key]!;
      assert.deepEqual(placeholders(zh), placeholders(key), key);
      if (/[A-Za-z]{3}/.test(key.replace(/DSync|JSON|SVG|dsync lin --\w+|\.dsync|`[^`]*`/g, ''))) assert.notEqual(zh, key, `${key} is not translated`);
    }
  });

  test('no user-facing string in client/src bypasses l10n', () => {
    // A string or template literal with words outside its ${…} parts, where VS Code shows it to the user.
    const literal = String.raw`(?:'[^']*[A-Za-z][^']*'|"[^"]*[A-Za-z][^"]*"|\x60(?:[^\x60$]|\$(?!\{)|\$\{[^}]*\})*[A-Za-z](?:[^\x60$]|\$(?!\{)|\$\{[^}]*\})*\x60)`;
    const patterns = [
      new RegExp(String.raw`show(?:Information|Warning|Error)Message\(\s*` + literal, 'g'),
      new RegExp(String.raw`\b(?:title|prompt|placeHolder|openLabel|tooltip|description|detail)\s*:\s*` + literal, 'g'),
      new RegExp(String.raw`\.(?:text|tooltip|title|message)\s*=\s*` + literal, 'g'),
      new RegExp(String.raw`progress\.report\(\{[^}]*message\s*:\s*` + literal, 'g'),
    ];
    const bypasses: string[] = [];
    for (const f of clientFiles) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const p of patterns) for (const m of text.matchAll(p)) bypasses.push(`${f}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
    }
    assert.deepEqual(bypasses, []);
    // The check itself catches what it is for.
    assert.ok(patterns[0]!.test("vscode.window.showErrorMessage(`DSync: ${x}`)"));
    assert.ok(new RegExp(patterns[1]!.source).test("title: 'Run with seed'"));
    assert.ok(!new RegExp(patterns[1]!.source).test("title: vscode.l10n.t('Run with seed')"));
  });

  test('every label the webviews use is translated by the extension (webviewLabels.ts)', () => {
    const table = fs.readFileSync(path.join(root, 'client/src/webviewLabels.ts'), 'utf8');
    const listed = new Set([...table.matchAll(new RegExp(QUOTED + String.raw`: vscode\.l10n\.t\(` + QUOTED + String.raw`\)`, 'g'))].filter((m) => m[1] === m[2]).map((m) => m[1]!));
    const labelled = new Set<string>();
    for (const f of sourceFiles('client/src/webview')) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of text.matchAll(new RegExp(String.raw`(?<![\w.])(?:label|text)\(\s*` + QUOTED, 'g'))) labelled.add(m[1]!);
      for (const m of text.matchAll(new RegExp(String.raw`(?<![\w.])count\([^,]+,\s*` + QUOTED + String.raw`,\s*` + QUOTED, 'g'))) labelled.add(m[1]!).add(m[2]!);
    }
    assert.ok(labelled.size >= 40, `only ${labelled.size} labels found`);
    assert.deepEqual([...labelled].filter((k) => !listed.has(k)), [], 'labels the extension does not translate');
    assert.deepEqual([...listed].filter((k) => !labelled.has(k)), [], 'translated labels no webview uses');
  });

  test('no fixed text the webviews show bypasses the labels table (legend, captions, axis, hover card, state panel, toolbar)', () => {
    // A string or template literal with a letter outside its ${…} parts (escapes such as \n are not words).
    const literal = String.raw`(?:'(?:[^'\\\n]|\\.)*[A-Za-z](?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*[A-Za-z](?:[^"\\\n]|\\.)*"|\x60(?:[^\x60$\\]|\\.|\$(?!\{)|\$\{[^}]*\})*[A-Za-z](?:[^\x60$\\]|\\.|\$(?!\{)|\$\{[^}]*\})*\x60)`;
    const unescaped = (m: string): boolean => /[A-Za-z]/.test(m.replace(/\\./g, '').replace(/\$\{[^}]*\}/g, ''));
    // Where the webviews put text in front of the user: SVG text, an element's text, titles and
    // aria labels, legend and key entries, hover-card rows, captions, placed labels.
    const sinks = [
      String.raw`svgText\(\s*`,
      String.raw`html\(\s*'[^']*'\s*,\s*\{[^}]*\}\s*,\s*[\w.]+\s*,\s*`,
      String.raw`(?:\btitle|'aria-label'|\btext|\blegend)\s*:\s*`,
      String.raw`\.textContent\s*=\s*(?:[^;\n]*?[?:]\s*)?`,
      String.raw`\[\s*(?='[^'\n]*[A-Za-z][^'\n]*'\s*,(?!\s*['"]|\s*[\w.]+\s*\]))`,
      String.raw`case\s+'[^']*'\s*:\s*return\s+`,
      String.raw`placeText\(\s*[\w.]+\s*,\s*[\w.]+\s*,\s*`,
      // The toolbar's status parts (`seed 7 · 12 events`), when a literal has a word (not SVG path data or a unit).
      String.raw`\bparts(?:\s*=\s*(?:[^;()]*?[?:\[,]\s*)?|\.push\(\s*)(?=(?:'[^'\n]*|\x60(?:[^\x60$]|\$\{[^}]*\})*?)(?:[A-Za-z]{3}\s|\s[A-Za-z]{3}))`,
    ].map((sink) => new RegExp(sink + literal, 'g'));
    const bypasses: string[] = [];
    for (const f of sourceFiles('client/src/webview')) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const p of sinks) for (const m of text.matchAll(p)) if (unescaped(m[0].replace(/^[^'"\x60]*/, ''))) bypasses.push(`${f}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
    }
    assert.deepEqual(bypasses, [], 'webview text shown without label()/count()');
    // The check catches what it is for (the English the timeline showed before it went through the table) …
    const caught = (code: string): boolean => sinks.some((p) => new RegExp(p.source).test(code));
    for (const bad of [
      "svgText(log ? 'causal step' : 'true time', { class: 'axis-title' }, axis)".replace("log ? 'causal step' : ", ''),
      "html('div', { class: 'state-panel-empty' }, el, `${node} has no protocol state at this event`)",
      "html('button', { type: 'button', title: 'Close', 'aria-label': 'Close' }, head, '×')",
      "rows.push(['local clock', formatTime(e.local)])",
      "return { title: n.name, rows: [['drift', `${n.driftPpm}ppm`]] }",
      "this.windowText.textContent = fit ? 'whole log' : x",
      "case 'crash':\n      return 'crash';",
      "out.push({ text: 'node down', swatch })",
      "send: { shape: 'dot', cls: 'mark-message', legend: 'send / receive' }",
      "const parts = [`seed ${p.seed}`, formatTimeShort(p.endTime)]",
      "placeText(placer, labels, `snapshot ${clip(cut.id, 12)}`, x, y)",
    ]) assert.ok(caught(bad), bad);
    // … and lets through what is translated, user data and markup.
    for (const good of [
      "svgText(label('true time'), { class: 'axis-title' }, axis)",
      "html('th', {}, tr, k)",
      "rows.push([label('node'), name(payload, e.node)])",
      "for (const [k, v] of [['width', width], ['height', layout.height]] as const)",
      "html('td', {}, tr, state[k]!)",
      "svgText(name, { class: 'name', x: PAD + 12 }, parent)",
    ]) assert.ok(!caught(good), good);
  });

  test("the language server's strings follow the bundle it is given, and English without one", async () => {
    const { configureL10n, t } = await import('../../server/src/lsp/l10n');
    try {
      configureL10n(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'));
      assert.equal(t('simulating…'), '模拟中…');
      assert.equal(t('Explore {0} schedules', '1,000'), '探索 1,000 个调度');
      configureL10n(undefined);
      assert.equal(t('Explore {0} schedules', '1,000'), 'Explore 1,000 schedules');
      configureL10n(path.join(root, 'l10n', 'no-such-bundle.json'));
      assert.equal(t('simulating…'), 'simulating…');
    } finally {
      configureL10n(undefined);
    }
  });
});
