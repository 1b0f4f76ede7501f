import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from '../../server/src/core/format/formatter';
import { traceJsonChunks, traceToJson } from '../../server/src/core/sim/json';
import { exceedsSizeCap, MAX_FILE_BYTES, parse, utf8ByteLength } from '../../server/src/core/syntax/parse';
import { repoPath, runText } from './support/scenario';
import { sampleFiles } from './support/traceHashes';

/**
 * Command-line conventions of the real CLI (`node bin/dsync.js`): help per
 * subcommand, `--flag=value`, `-` for standard input, diagnostics as JSON
 * and SARIF, the formatter on our own samples and on CRLF/BOM files, write
 * errors, the trace memory budget, and exploration's worker cap and early
 * `--out` check.
 */
const ROOT = repoPath();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dsync-conventions-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function dsync(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/dsync.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...(input !== undefined ? { input } : {}), maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, text: string | Buffer): string {
  const p = path.join(scratch, name);
  fs.writeFileSync(p, text);
  return p;
}
const SAMPLE = 'samples/causal_demo.dsync';

describe('help and flags', () => {
  for (const command of ['check', 'run', 'fmt', 'explore']) {
    test(`dsync ${command} --help (and -h, and dsync help ${command}) prints that command's help, exit 0`, () => {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, SAMPLE, '--help']]) {
        const r = dsync(args);
        assert.equal(r.status, 0, args.join(' '));
        assert.match(r.stdout, new RegExp(`^usage: dsync ${command} `), args.join(' '));
        assert.match(r.stdout, /exit codes:/);
        assert.equal(r.stderr, '');
      }
    });
  }

  test('--seed=8 is --seed 8; --until=300ms is --until 300ms', () => {
    const a = dsync(['run', SAMPLE, '--seed=8', '--until=300ms', '--json']);
    const b = dsync(['run', SAMPLE, '--seed', '8', '--until', '300ms', '--json']);
    // Stopped before the end: its end-of-run expectation is not decided.
    assert.equal(a.status, 3);
    assert.equal(a.stdout, b.stdout);
    assert.deepEqual([JSON.parse(a.stdout).seed, JSON.parse(a.stdout).endTime], [8, 300_000_000]);
  });
});

describe("'-' reads the scenario from standard input", () => {
  const text = fs.readFileSync(repoPath(SAMPLE), 'utf8');

  test('run -: the same run as from the file, named <stdin> in messages', () => {
    const fromStdin = dsync(['run', '-', '--json'], text);
    assert.equal(fromStdin.status, 1);
    assert.equal(fromStdin.stdout, dsync(['run', SAMPLE, '--json']).stdout);
    const human = dsync(['run', '-', '-q'], text);
    assert.match(human.stdout, /^<stdin>:34:1: DS201 max_skew/m);
  });

  test('check - and fmt -', () => {
    assert.deepEqual([dsync(['check', '-'], text).stdout, dsync(['check', '-'], text).status], ['<stdin>: ok\n', 0]);
    const bad = dsync(['check', '-'], 'scenario b { seed 1  run for 1s }\nnodes A\nat 1ms A -> Q "x"\n');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^<stdin>:3:13: DS110 /m);
    assert.equal(dsync(['fmt', '-'], 'scenario  f{seed 1 run for 1s}\n').stdout, 'scenario f { seed 1; run for 1s }\n');
    assert.match(dsync(['fmt', '--write', '-'], '').stderr, /--write cannot rewrite standard input/);
  });
});

interface DiagnosticsDoc {
  files: { file: string; ok: boolean; error?: string; diagnostics: { code: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }[] }[];
}

describe('diagnostics for tools', () => {
  test('check --json: every file with its diagnostics and positions; exit 2 when one has errors', () => {
    const r = dsync(['check', '--json', SAMPLE, 'test/fixtures/diagnostics/DS110.dsync', 'test/fixtures/diagnostics/DS150.dsync', 'no/such.dsync']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout) as DiagnosticsDoc;
    assert.deepEqual(doc.files.map((f) => [f.file, f.ok, f.diagnostics.length > 0]), [
      [SAMPLE, true, false],
      ['test/fixtures/diagnostics/DS110.dsync', false, true],
      ['test/fixtures/diagnostics/DS150.dsync', true, true],
      ['no/such.dsync', false, false],
    ]);
    assert.deepEqual(doc.files[1]!.diagnostics[0], { code: 'DS110', severity: 'error', message: "unknown node 'Bobb'; did you mean 'Bob'?", line: 4, column: 18, endLine: 4, endColumn: 22 });
    assert.equal(doc.files[2]!.diagnostics[0]!.severity, 'warning');
    assert.match(doc.files[3]!.error!, /cannot read file/);
    assert.equal(dsync(['check', '--format=json', SAMPLE]).stdout, dsync(['check', '--json', SAMPLE]).stdout);
    assert.equal(dsync(['check', '--json', SAMPLE]).status, 0);
  });

  test('check --format sarif: a SARIF 2.1.0 log with rules, results, levels and regions', () => {
    const r = dsync(['check', '--format', 'sarif', 'test/fixtures/diagnostics/DS110.dsync', 'test/fixtures/diagnostics/DS150.dsync']);
    assert.equal(r.status, 2);
    const log = JSON.parse(r.stdout) as {
      version: string; $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[] }[] }[];
    };
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'dsync');
    assert.deepEqual(run.tool.driver.rules.map((x) => x.id), ['DS110', 'DS150']);
    assert.equal(run.tool.driver.rules[0]!.shortDescription.text, 'unknown node');
    assert.equal(run.results.length, 5 + 3);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
      assert.equal(result.level, result.ruleId === 'DS110' ? 'error' : 'warning');
      const region = result.locations[0]!.physicalLocation.region;
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && (region.endLine > region.startLine || region.endColumn > region.startColumn), JSON.stringify(region));
    }
    assert.deepEqual(run.results[0]!.locations[0]!.physicalLocation, { artifactLocation: { uri: 'test/fixtures/diagnostics/DS110.dsync' }, region: { startLine: 4, startColumn: 18, endLine: 4, endColumn: 22 } });
  });

  test('run --json on a file that does not check: its diagnostics as JSON on stdout, exit 2', () => {
    const r = dsync(['run', 'test/fixtures/diagnostics/DS110.dsync', '--json']);
    assert.equal(r.status, 2);
    const doc = JSON.parse(r.stdout) as DiagnosticsDoc['files'][number];
    assert.equal(doc.ok, false);
    assert.deepEqual(doc.diagnostics.map((d) => d.code), ['DS110', 'DS110', 'DS110', 'DS110', 'DS110']);
  });
});

describe('dsync fmt', () => {
  test('our own samples are formatted', () => {
    const samples = sampleFiles(repoPath()).map((f) => path.join('samples', f));
    const r = dsync(['fmt', '--check', ...samples]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('several items on one line keep a visible separation: `; `', () => {
    const text = [
      'scenario s { seed 1  run for 1s }',
      'nodes A, B, C run raft { heartbeat 20ms  election_timeout 50ms..100ms }',
      'on B receive "x" { send B -> C "y"  send B -> A "z"; local "w" }',
      'at 1ms A -> B "x"   at 2ms A -> C "q"',
      'faults { at 5ms crash A  at 8ms restart A }',
      'nodes D, E run two_phase_commit { coordinator D  transactions 4 every 400ms }',
      '',
    ].join('\n');
    const once = format(text)!;
    assert.equal(once, [
      'scenario s { seed 1; run for 1s }',
      'nodes A, B, C run raft { heartbeat 20ms; election_timeout 50ms..100ms }',
      'on B receive "x" { send B -> C "y"; send B -> A "z"; local "w" }',
      'at 1ms A -> B "x"; at 2ms A -> C "q"',
      'faults { at 5ms crash A; at 8ms restart A }',
      // `transactions N every T` reads as one phrase (two options, `;` optional): left alone.
      'nodes D, E run two_phase_commit { coordinator D; transactions 4 every 400ms }',
      '',
    ].join('\n'));
    assert.equal(format(once), once);
    // The same statements, the same tokens but for the added `;`.
    const tokens = (t: string): string[] => parse(t).tokens.map((x) => x.image).filter((x) => x !== ';');
    assert.deepEqual(tokens(once), tokens(text));
  });

  test('CRLF files stay CRLF and a byte order mark stays: --check passes a formatted one, --write keeps both', () => {
    const lf = 'scenario c { seed 1; run for 1s }\nnodes A, B\nat 1ms A -> B "x"\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const formatted = file('crlf.dsync', Buffer.from('\ufeff' + crlf, 'utf8'));
    assert.equal(dsync(['fmt', '--check', formatted]).status, 0);
    const messy = file('messy-crlf.dsync', Buffer.from('\ufeff' + crlf.replace('nodes A, B', 'nodes  A ,B'), 'utf8'));
    // Printed to standard output, every line of a CRLF file ends in CRLF, the last one too.
    assert.equal(dsync(['fmt', messy]).stdout, crlf);
    const check = dsync(['fmt', '--check', messy]);
    assert.deepEqual([check.status, check.stdout], [1, `${messy}: not formatted\n`]);
    assert.equal(dsync(['fmt', '--write', messy]).status, 0);
    assert.deepEqual(fs.readFileSync(messy), Buffer.from('\ufeff' + crlf, 'utf8'));
  });
});

describe('size cap in bytes, as the editor counts', () => {
  test('utf8ByteLength and exceedsSizeCap count UTF-8 bytes, not UTF-16 units', () => {
    assert.equal(utf8ByteLength('aé中😀'), 1 + 2 + 3 + 4);
    assert.equal(utf8ByteLength('\ud800x'), 3 + 1);
    const cjk = '中'.repeat(Math.floor(MAX_FILE_BYTES / 3) + 1);
    assert.ok(cjk.length < MAX_FILE_BYTES && exceedsSizeCap(cjk));
    assert.deepEqual(parse(cjk).diagnostics.map((d) => d.code), ['DS172']);
    assert.ok(!exceedsSizeCap('中'.repeat(Math.floor(MAX_FILE_BYTES / 3))));
  });
});

describe('hostile output and big runs', () => {
  test('labels with a newline, a quote, ESC, BEL or a bidi override: one line per event, nothing raw reaches the terminal', () => {
    const f = file('hostile.dsync', 'scenario h { seed 1  run for 1s }\nnodes A, B\nat 1ms A -> B "a\\nb \\"q\\" \u001b[31mred\u0007\u202e"\nexpect B.received("\u001b]0;x\u0007") == 1\n');
    const r = dsync(['run', f]);
    assert.equal(r.status, 1);
    const out = r.stdout + r.stderr;
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'no raw control character in the output');
    const lines = r.stdout.split('\n');
    assert.equal(lines[1], '0.001000s    A     0.001000s    send "a\\nb \\"q\\" \\u001b[31mred\\u0007\\u202e" -> B #0    1  [A:1 B:0]');
    assert.equal(lines[2]!.slice(0, 9), '0.011000s');
    assert.match(r.stdout, /^✗ B\.received\("\\u001b\]0;x\\u0007"\) == 1$/m);
    assert.match(r.stdout, /DS202 expected B\.received\("\\u001b\]0;x\\u0007"\) == 1, but 0 vs 1 at t=1s$/m);
    // The JSON keeps the text exactly.
    assert.equal((JSON.parse(dsync(['run', f, '--json']).stdout) as { events: { label: string }[] }).events[0]!.label, 'a\nb "q" \u001b[31mred\u0007\u202e');
    // Diagnostic messages that quote user text are escaped too.
    const bad = dsync(['check', file('hostile2.dsync', 'scenario h { seed 1  run for 1s }\nnodes A\non A receive "\u001b[2J" { send A -> Z "x" }\n')]);
    assert.equal(bad.status, 2);
    assert.doesNotMatch(bad.stderr, /\u001b/);
  });

  test('a write error other than a closed pipe: one line on stderr and exit 2', { skip: !fs.existsSync('/dev/full') && 'no /dev/full here' }, () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/dsync.js run ${SAMPLE} > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'dsync: cannot write to standard output: ENOSPC (no space left on the device)\n');
  });

  test('the trace memory budget stops a huge run cleanly with DS203 naming --max-trace-mb; --json stays valid', () => {
    const big = file('big.dsync', 'scenario big { seed 1  run for 10s }\nnodes n1..n1000\nevery 1ms n1 -> * "x"\n');
    const human = dsync(['run', big, '--max-trace-mb', '1', '-q']);
    assert.equal(human.status, 0);
    assert.match(human.stdout, /^warning: DS203 stopped after [\d,]+ events at t=\d+ms: the trace reached its memory budget of 1 MB; raise --max-trace-mb/m);
    const json = dsync(['run', big, '--max-trace-mb=1', '--json']);
    assert.equal(json.status, 0);
    const doc = JSON.parse(json.stdout) as { stopReason: string; events: { kind: string }[] };
    assert.equal(doc.stopReason, 'max-events');
    // The recorded trace (traceStore.ts): a receive writes its node's 1,000-entry vector clock again
    // (about 1 KB of one- or two-byte entries: n1's entry changed), a send only its header word, a record
    // of a dozen bytes and its message's 8 (n1's other entries are unchanged), so 1 MB holds about 750
    // receives among ten broadcasts' sends (as objects, under 1,000 events fitted in 4 MB). Its --json,
    // every event with its 1,000 entries, is over 200 MB.
    const receives = doc.events.filter((e) => e.kind === 'receive').length;
    assert.ok(receives > 650 && receives < 850, `${receives} receives`);
    assert.ok(doc.events.length > 5000, String(doc.events.length));
    assert.match(json.stderr, /DS203 .*--max-trace-mb/);
  });

  test('--json is written in chunks of bounded size, byte for byte the document JSON.stringify makes', () => {
    const result = runText('scenario j { seed 3  run for 1s }\nnodes A, B, C\nevery 1ms A -> * "p"\non B receive "p" { reply "q" }\n');
    const chunks = [...traceJsonChunks(result)];
    const text = chunks.join('');
    assert.ok(result.events.length > 3000);
    assert.ok(chunks.length > 10 && Math.max(...chunks.map((c) => c.length)) < 200_000, `${chunks.length} chunks`);
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 2));
    assert.equal(traceToJson(result), text);
  });
});

describe('explore: workers and --out', () => {
  test('--workers is capped at the runs and the cores, and the output says so', () => {
    const r = dsync(['explore', SAMPLE, '--runs', '3', '--workers', '1000', '--no-shrink', '-q']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^dsync explore: using (\d+) workers?, not 1000: /m);
    const used = Number(/using (\d+) worker/.exec(r.stderr)![1]);
    assert.ok(used >= 1 && used <= Math.min(3, os.availableParallelism()));
    const json = JSON.parse(dsync(['explore', SAMPLE, '--runs', '3', '--workers', '1000', '--no-shrink', '--json']).stdout) as { workers: number };
    assert.equal(json.workers, used);
  });

  test('--out into a directory that does not exist fails at once, before exploring (exit 2)', () => {
    const r = dsync(['explore', SAMPLE, '--runs', '1000000', '--out', path.join(scratch, 'no', 'such', 'dir', 'x.dsync')]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dsync explore: --out .*: the directory .* does not exist$/m);
  });
});
