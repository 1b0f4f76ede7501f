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
