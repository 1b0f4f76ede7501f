import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_FILE_BYTES } from '../../server/src/core/syntax/parse';
import { repoPath } from './support/scenario';

/**
 * What the bundled CLI (`node bin/dsync.js`, dist/ is built before the
 * tests) reads and writes, run in a scratch directory: it writes nothing
 * but stdout/stderr unless told (`fmt --write` rewrites exactly the files
 * named), it opens no path a scenario names, and it refuses files over the
 * size cap with exit 2 and DS172. File access is audited by a preload
 * script that records every path the process opens, stats or writes.
 */
const ROOT = repoPath();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-cli-safety-'));
const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-cli-audit-'));
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(auditDir, { recursive: true, force: true });
});

/** Wraps the fs functions a program uses to touch files; writes the paths to $DSYNC_FS_AUDIT at exit. */
const AUDIT = path.join(auditDir, 'audit.cjs');
fs.writeFileSync(AUDIT, `
const fs = require('fs');
const seen = [];
for (const name of ['openSync', 'readFileSync', 'writeFileSync', 'appendFileSync', 'statSync', 'lstatSync', 'existsSync', 'readdirSync', 'createReadStream', 'createWriteStream', 'mkdirSync', 'rmSync', 'unlinkSync', 'renameSync', 'copyFileSync', 'open', 'readFile', 'writeFile', 'stat']) {
  const original = fs[name];
  if (typeof original !== 'function') continue;
  fs[name] = function (p, ...rest) {
    if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) seen.push(name + ' ' + require('path').resolve(String(p)));
    return original.call(this, p, ...rest);
  };
}
process.on('exit', () => require('fs').writeFileSync.call(null, process.env.DSYNC_FS_AUDIT, JSON.stringify(seen)));
`);
// The audit's own exit write goes through the wrapped writeFileSync; it is filtered out below by its path.

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** "fn /absolute/path" for every file the process touched outside the CLI's own code. */
  readonly touched: string[];
}

function dsync(...args: string[]): Run {
  const log = path.join(auditDir, 'log.json');
  const r = spawnSync(process.execPath, ['--require', AUDIT, path.join(ROOT, 'bin', 'dsync.js'), ...args], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', DSYNC_FS_AUDIT: log },
  });
  const own = [path.join(ROOT, 'bin'), path.join(ROOT, 'dist'), path.join(ROOT, 'node_modules'), log];
  const touched = (JSON.parse(fs.readFileSync(log, 'utf8')) as string[]).filter((entry) => {
    const p = entry.slice(entry.indexOf(' ') + 1);
    return !own.some((o) => p === o || p.startsWith(o + path.sep)) && p !== path.join(ROOT, 'package.json');
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, touched };
}

/** Every file under the scratch directory with its size, mode and content hash. */
function listing(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(scratch, p)} ${fs.statSync(p).size} ${fs.readFileSync(p, 'utf8')}`);
    }
  };
  walk(scratch);
  return out.sort();
}

const demo = fs.readFileSync(path.join(ROOT, 'samples', 'causal_demo.dsync'), 'utf8');
fs.writeFileSync(path.join(scratch, 'demo.dsync'), demo);
fs.writeFileSync(path.join(scratch, 'messy.dsync'), 'scenario  m{seed 1   run for 1s}\nnodes A ,B\nat 1ms A->B "x"\n');

describe('CLI safety', () => {
  test('check, run, run --json, fmt and fmt --check create and change no files, and read only the FILE named', () => {
    const before = listing();
    for (const args of [['check', 'demo.dsync'], ['run', 'demo.dsync'], ['run', 'demo.dsync', '--json'], ['fmt', 'messy.dsync'], ['fmt', '--check', 'messy.dsync'], ['run', 'demo.dsync', '--seed', '3', '--quiet']]) {
      const r = dsync(...args);
      assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
      const file = path.join(scratch, args.find((a) => a.endsWith('.dsync'))!);
      assert.ok(r.touched.includes(`readFileSync ${file}`), `the audit saw the FILE read: ${r.touched.join(', ')}`);
      assert.deepEqual(r.touched.filter((t) => !t.endsWith(` ${file}`)), [], `${args.join(' ')} touched other files`);
      assert.ok(r.touched.every((t) => /^(statSync|readFileSync|openSync|existsSync) /.test(t)), `${args.join(' ')} wrote: ${r.touched.join(', ')}`);
    }
    assert.deepEqual(listing(), before);
  });

  test('fmt --write rewrites exactly the files named, nothing else', () => {
    fs.writeFileSync(path.join(scratch, 'other.dsync'), 'scenario  o{seed 1   run for 1s}\nnodes A ,B\n');
    const before = listing();
    const r = dsync('fmt', '--write', 'messy.dsync');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const after = listing();
    const changed = after.filter((l) => !before.includes(l)).map((l) => l.split(' ')[0]);
    assert.deepEqual(changed, ['messy.dsync']);
    assert.equal(fs.readFileSync(path.join(scratch, 'messy.dsync'), 'utf8'), 'scenario m { seed 1; run for 1s }\nnodes A, B\nat 1ms A -> B "x"\n');
    assert.deepEqual(r.touched.filter((t) => t.startsWith('writeFileSync')), [`writeFileSync ${path.join(scratch, 'messy.dsync')}`]);
  });

  test('paths written in a scenario (labels, replies; relative, absolute, URLs) are never opened: the output does not depend on those files', () => {
    const scenario = [
      'scenario paths { seed 1 run for 100ms }',
      'nodes A, B',
      'at 1ms A -> B "secret.txt"',
      'at 2ms A -> B "../../etc/passwd"',
      `at 3ms A -> B "${path.join(scratch, 'secret.txt')}"`,
      'on B receive "secret.txt" { reply "file:///etc/passwd" }',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(scratch, 'paths.dsync'), scenario);
    const without = dsync('run', 'paths.dsync', '--json');
    fs.writeFileSync(path.join(scratch, 'secret.txt'), 'SECRET-CONTENT-42\n');
    const withFile = dsync('run', 'paths.dsync', '--json');
    fs.rmSync(path.join(scratch, 'secret.txt'));
    assert.equal(withFile.status, 0, withFile.stderr);
    assert.equal(withFile.stdout, without.stdout);
    assert.doesNotMatch(withFile.stdout, /SECRET-CONTENT/);
    // The labels are in the trace as text.
    assert.match(withFile.stdout, /"label": "\.\.\/\.\.\/etc\/passwd"/);
    assert.deepEqual(withFile.touched.map((t) => t.slice(t.indexOf(' ') + 1)).filter((p) => p !== path.join(scratch, 'paths.dsync')), []);
  });

  test('files over the size cap are refused with exit 2 and DS172, without reading them and without a stack trace', () => {
    const big = path.join(scratch, 'big.dsync');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, MAX_FILE_BYTES + 1); // sparse: no 8 MiB written to disk
    fs.closeSync(fd);
    try {
      for (const args of [['check', 'big.dsync'], ['run', 'big.dsync'], ['run', 'big.dsync', '--json'], ['fmt', 'big.dsync'], ['fmt', '--write', 'big.dsync']]) {
        const r = dsync(...args);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr.trim(), `big.dsync:1:1: DS172 file is ${(MAX_FILE_BYTES + 1).toLocaleString('en-US')} bytes; the limit is ${MAX_FILE_BYTES.toLocaleString('en-US')} (8 MiB). Split the scenario.`);
        // With --json the same refusal is also a JSON document on stdout.
        if (args.includes('--json')) assert.match(JSON.parse(r.stdout).error as string, /DS172/);
        else assert.equal(r.stdout, '');
        assert.deepEqual(r.touched, [`statSync ${big}`], `${args.join(' ')} must only stat the file`);
      }
    } finally {
      fs.rmSync(big);
    }
  });

  test('a reader that stops early (`dsync … | head -1`) ends the command with its own exit code, not a crash', () => {
    // The trace is ~1.7 MB, far more than a pipe holds, so writes after `head` exits get EPIPE.
    const sample = repoPath('samples', 'explore_raft_forget_vote.dsync');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/dsync.js run "${sample}" --json | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0', 'the sample holds for its own seed: exit code 0, as without the pipe');
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });
});
