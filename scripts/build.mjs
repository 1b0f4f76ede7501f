// Bundles every runnable part with esbuild: the extension client, the
// language server, the CLI and the webview script. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'node20' };

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['server/src/lsp/analysisWorker.ts'], outfile: 'dist/analysisWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['server/src/lsp/exploreJobWorker.ts'], outfile: 'dist/exploreJobWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['server/src/lsp/historyJobWorker.ts'], outfile: 'dist/historyJobWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['server/src/cli/exploreWorker.ts'], outfile: 'dist/exploreWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['client/src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: ['client/src/webview/history/main.ts'], outfile: 'dist/historyView.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

const present = await Promise.all(builds.map(async (b) => {
  try {
    await import('node:fs').then((fs) => fs.promises.access(b.entryPoints[0]));
    return b;
  } catch {
    return undefined;
  }
}));

// Each bundle builds on its own, so a broken client never stops the CLI from building.
let failed = 0;
for (const b of present.filter(Boolean)) {
  try {
    if (watch) await (await esbuild.context(b)).watch();
    else await esbuild.build(b);
  } catch {
    failed++;
    console.error(`build of ${b.outfile} failed (see above)`);
  }
}
if (failed > 0) process.exit(1);
