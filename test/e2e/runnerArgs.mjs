// Command-line arguments shared by the two extension-test runners
// (runInCodeServer.mjs, runInElectron.mjs): the same four paths, a timeout,
// and runner-specific extras. Exits with code 2 and a usage text on error.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * @param {{ tag: string, script: string, extraUsage: string, extraOptions: Record<string, {type: 'string'|'boolean', default?: string|boolean}> }} spec
 * @returns {{ opts: Record<string, any>, timeoutSec: number, testsModule: string }}
 */
export function parseRunnerArgs({ tag, script, extraUsage, extraOptions }) {
  const usage = (msg) => {
    if (msg) console.error(`${tag} ${msg}`);
    console.error(
      `usage: node test/e2e/${script} --extension <abs dir> --tests <abs module path>\n` +
        `         --workspace <abs dir> --artifacts <abs dir> [--timeout <seconds, default 180>]${extraUsage ? `\n         ${extraUsage}` : ''}`,
    );
    process.exit(2);
  };
  let opts;
  try {
    opts = parseArgs({
      options: {
        extension: { type: 'string' },
        tests: { type: 'string' },
        workspace: { type: 'string' },
        artifacts: { type: 'string' },
        timeout: { type: 'string', default: '180' },
        help: { type: 'boolean', short: 'h', default: false },
        ...extraOptions,
      },
      strict: true,
    }).values;
  } catch (e) {
    usage(e.message);
  }
  if (opts.help) usage();
  for (const k of ['extension', 'tests', 'workspace', 'artifacts']) {
    if (!opts[k]) usage(`--${k} is required`);
    opts[k] = path.resolve(opts[k]);
  }
  const timeoutSec = Number(opts.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) usage('--timeout must be a positive number of seconds');
  if (!fs.existsSync(path.join(opts.extension, 'package.json'))) usage(`no package.json in --extension ${opts.extension}`);
  if (!fs.statSync(opts.workspace, { throwIfNoEntry: false })?.isDirectory()) usage(`--workspace ${opts.workspace} is not a directory`);
  // The extension host loads the suite with require(uri.fsPath): a file with or without
  // ".js", or a folder with index.js, all work. Check it up front for a clear error.
  let testsModule;
  try {
    testsModule = createRequire(path.join(os.tmpdir(), 'x.js')).resolve(opts.tests);
  } catch {
    usage(`--tests ${opts.tests} does not resolve to a module (file, file without .js, or folder with index.js)`);
  }
  return { opts, timeoutSec, testsModule };
}

/**
 * The throwaway user settings both runners start VS Code with: no workspace
 * trust prompt, no welcome page, no telemetry, no update or gallery checks.
 */
export async function writeUserSettings(userDataDir) {
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
  };
  await fs.promises.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fs.promises.writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}
