// Packages the extension as a VSIX (bundles only) and installs it into a
// scratch code-server extensions folder with --install-extension, as a user
// would; checks that it is listed and that the package holds no sources,
// tests or node_modules.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
process.chdir(root);
const fail = (message) => {
  console.error(`✗ VSIX: ${message}`);
  process.exit(1);
};

const pack = spawnSync('npm', ['run', '--silent', 'package'], { encoding: 'utf8' });
if (pack.status !== 0) fail(`npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
const listing = spawnSync('unzip', ['-Z1', 'dsync.vsix'], { encoding: 'utf8' });
if (listing.status !== 0) fail('cannot list dsync.vsix (is unzip installed?)');
const files = listing.stdout.trim().split('\n');
const unwanted = files.filter((f) => /\.ts$|\/src\/|node_modules|\/test\/|\.map$/.test(f));
if (unwanted.length > 0) fail(`the package holds files it should not: ${unwanted.join(', ')}`);
for (const needed of ['extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/webview.js', 'extension/grammar/dsync.tmLanguage.json']) {
  if (!files.includes(needed)) fail(`the package lacks ${needed}`);
}

const codeServer = path.join(root, '.tools/code-server-4.99.4/node_modules/code-server/out/node/entry.js');
if (!fs.existsSync(codeServer)) fail('code-server is not installed (run scripts/setup-code-server.sh)');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-vsix-'));
const args = ['--extensions-dir', path.join(scratch, 'ext'), '--user-data-dir', path.join(scratch, 'data')];
const env = { ...process.env, EXTENSIONS_GALLERY: '{}' };
const install = spawnSync(process.execPath, [codeServer, ...args, '--install-extension', path.join(root, 'dsync.vsix')], { encoding: 'utf8', env });
const list = spawnSync(process.execPath, [codeServer, ...args, '--list-extensions', '--show-versions'], { encoding: 'utf8', env });
fs.rmSync(scratch, { recursive: true, force: true });
if (install.status !== 0) fail(`--install-extension failed:\n${install.stdout}\n${install.stderr}`);
if (!/^dsync\.dsync@0\.1\.0$/m.test(list.stdout)) fail(`not listed after install:\n${list.stdout}\n${list.stderr}`);
console.log(`VSIX: ${files.length} files, ${(fs.statSync('dsync.vsix').size / 1024).toFixed(0)} KB; installed in code-server as ${list.stdout.trim()}`);
console.log('vsix: 1 passed, 0 failed');
