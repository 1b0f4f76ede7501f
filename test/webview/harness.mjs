#!/usr/bin/env node
// Looks at the timeline webview without VS Code: renders scenarios in headless
// Chromium under the webview's real HTML shell and CSP, with a fake
// acquireVsCodeApi, and saves screenshots in a dark and a light theme.
//
//   node test/webview/harness.mjs [scenario.dsync …] [--out DIR] [--width PX]
//        [--window 0ms..40ms] [--local] [--theme dark|light|both]
//        [--clip x,y,w,h --scale 2] [--suffix .zoom]
//
// Defaults: samples/causal_demo.dsync and every test/fixtures/webview/*.dsync,
// into test-artifacts/webview/<name>.png (dark) and <name>.light.png.
// The webview is bundled fresh from client/src/webview (no full build needed).
// Needs /usr/bin/chromium and playwright-core from scripts/setup-code-server.sh.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.DSYNC_ROOT ??= ROOT;

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: path.join(ROOT, 'test-artifacts', 'webview') },
    width: { type: 'string', default: '1400' },
    window: { type: 'string' },
    local: { type: 'boolean', default: false },
    theme: { type: 'string', default: 'both' },
    suffix: { type: 'string', default: '' },
    // x,y,w,h: shoot only this part of the page (for a close look, with --scale 2).
    clip: { type: 'string' },
    scale: { type: 'string', default: '1' },
  },
});

const UNITS = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };
function parseTime(text) {
  const m = /^(-?\d+(?:\.\d+)?)(ns|us|µs|ms|s)$/.exec(text.trim());
  if (!m) throw new Error(`not a time: ${text}`);
  return Number(m[1]) * UNITS[m[2]];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-webview-'));
try {
  // The webview bundle, built exactly as scripts/build.mjs builds it.
  await esbuild.build({ entryPoints: [path.join(ROOT, 'client/src/webview/main.ts')], outfile: path.join(tmp, 'webview.js'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  // The TypeScript helpers shared with test/webview/render.test.ts.
  await esbuild.build({
    stdin: { contents: "export * from './page'; export * from './timelines';", resolveDir: path.join(ROOT, 'test/webview'), loader: 'ts' },
    outfile: path.join(tmp, 'lib.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  });
  const lib = createRequire(import.meta.url)(path.join(tmp, 'lib.cjs'));
  const missing = lib.browserMissing();
  if (missing) throw new Error(missing);

  const fixtures = path.join(ROOT, 'test/fixtures/webview');
  const files = positionals.length
    ? positionals
    : ['samples/causal_demo.dsync', ...fs.readdirSync(fixtures).filter((f) => f.endsWith('.dsync')).map((f) => path.join('test/fixtures/webview', f))];
  const themes = opts.theme === 'both' ? ['dark', 'light'] : [opts.theme];
  fs.mkdirSync(opts.out, { recursive: true });

  const browser = await lib.launchBrowser();
  try {
    for (const file of files) {
      const timeline = lib.timelineOfFile(file);
      const name = path.basename(file).replace(/\.dsync$/, '') + opts.suffix;
      for (const theme of themes) {
        const started = Date.now();
        const state = opts.window
          ? { uri: 'file:///harness.dsync', timeline, zoom: { start: parseTime(opts.window.split('..')[0]), end: parseTime(opts.window.split('..')[1]) }, showLocal: opts.local }
          : undefined;
        const view = await lib.openTimelinePage(browser, { theme, width: Number(opts.width), scale: Number(opts.scale), assets: { js: path.join(tmp, 'webview.js'), css: path.join(tmp, 'webview.css') }, state });
        const rendered = state ? await view.nextRender(0) : await view.show(timeline);
        if (opts.local && !state) {
          const n = await view.renders();
          await view.page.evaluate(() => document.querySelector('input[data-action="local-clocks"]').click());
          await view.nextRender(n);
        }
        const shot = path.join(opts.out, `${name}${theme === 'dark' ? '' : `.${theme}`}.png`);
        const [cx, cy, cw, ch] = (opts.clip ?? '').split(',').map(Number);
        await view.page.screenshot(opts.clip ? { path: shot, clip: { x: cx, y: cy, width: cw, height: ch } } : { path: shot, fullPage: true });
        if (view.errors.length) console.error(`  page errors: ${view.errors.join('; ')}`);
        console.log(`${path.relative(ROOT, shot)}  lanes ${rendered.lanes}, arrows ${rendered.arrows}, events ${rendered.events}  (${Date.now() - started} ms)`);
        await view.close();
      }
    }
  } finally {
    await browser.close();
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
