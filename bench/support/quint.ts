/**
 * The Quint simulator as a benchmark peer: installed on demand into
 * bench/peers (never a dependency of the extension) and run as
 * `quint run --backend=typescript` on a model of bench/peers.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = process.env['DSYNC_ROOT'] ?? process.cwd();
const PEERS_DIR = path.join(ROOT, 'bench', 'peers');
const QUINT = path.join(PEERS_DIR, 'node_modules', '.bin', 'quint');
export const QUINT_VERSION = '0.33.0';
/** Quint's language server (its own package, 0.19.0, with its own Quint), run with node. */
export const QUINT_LANGUAGE_SERVER = path.join(PEERS_DIR, 'node_modules', '@informalsystems', 'quint-language-server', 'out', 'src', 'server.js');

export interface QuintModel {
  /** File in bench/peers. */
  readonly file: string;
  readonly main: string;
  readonly invariant: string;
  /** Samples (traces) of the short and the long run; the rate is taken from their difference. */
  readonly samples: readonly [number, number];
}

/** Installs Quint and its language server into bench/peers when missing; the reason when it cannot. */
export function installQuint(): string | undefined {
  if (fs.existsSync(QUINT) && fs.existsSync(QUINT_LANGUAGE_SERVER)) return undefined;
  console.log(`  installing Quint ${QUINT_VERSION} and its language server into bench/peers (npm install --prefix bench/peers) …`);
  const install = spawnSync('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0 || !fs.existsSync(QUINT) || !fs.existsSync(QUINT_LANGUAGE_SERVER)) {
    return `npm install --prefix bench/peers failed (exit ${install.status ?? install.signal ?? install.error?.message}): ${lastLines(install.stderr || install.error?.message || '')}`;
  }
  return undefined;
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' / ');
}

/**
 * CPU seconds (user + system) of this process's finished children, from
 * /proc/self/stat (cutime, cstime; in USER_HZ = 100 ticks per second):
 * a child's whole CPU time, its helper threads included, whatever else
 * the machine runs. Undefined where there is no /proc.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5); the slice starts at field 3.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * One `quint run`: the CPU seconds of the whole quint process (start-up
 * included) and the average trace length in actions.
 */
function quintRun(model: QuintModel, steps: number, samples: number, seed: string): { cpuSeconds: number; actionsPerTrace: number } | string {
  const args = [
    'run', '--backend=typescript', `--max-samples=${samples}`, `--max-steps=${steps}`, `--invariant=${model.invariant}`, `--main=${model.main}`, `--seed=${seed}`,
    path.join(PEERS_DIR, model.file),
  ];
  const cpuBefore = childrenCpuSeconds();
  const r = spawnSync(QUINT, args, { encoding: 'utf8', timeout: 600_000 });
  const cpuAfter = childrenCpuSeconds();
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const ok = /\[ok\] No violation found/.test(out);
  // Trace length counts states: the initial one plus one per action.
  const length = /Trace length statistics: max=\d+, min=\d+, average=([\d.]+)/.exec(out);
  if (r.status !== 0 || !ok || !length) return `quint ${args.join(' ')} failed (exit ${r.status ?? r.signal ?? r.error?.message}): ${lastLines(out)}`;
  if (cpuBefore === undefined || cpuAfter === undefined) return 'no /proc/self/stat to measure the CPU time of quint';
  return { cpuSeconds: cpuAfter - cpuBefore, actionsPerTrace: Number(length[1]) - 1 };
}

/**
 * Quint's actions per CPU-second once warm: runs with the same seed and
 * the short and the long sample count (the long run begins with the same
 * traces), and divides the extra actions by the extra CPU time, so neither
 * start-up nor JIT warm-up is counted.
 */
export function quintActionsPerCpuSecond(model: QuintModel, steps: number, seed: string): { perSecond: number; traces: number; actionsPerTrace: number; cpuSeconds: number } | string {
  const [few, many] = model.samples;
  const short = quintRun(model, steps, few, seed);
  if (typeof short === 'string') return short;
  const long = quintRun(model, steps, many, seed);
  if (typeof long === 'string') return long;
  const cpuSeconds = long.cpuSeconds - short.cpuSeconds;
  if (cpuSeconds <= 0) return `the run of ${many} samples (${long.cpuSeconds} CPU s) took no longer than the run of ${few} (${short.cpuSeconds} CPU s): no warm rate to measure`;
  const actions = long.actionsPerTrace * many - short.actionsPerTrace * few;
  return { perSecond: actions / cpuSeconds, traces: many - few, actionsPerTrace: long.actionsPerTrace, cpuSeconds };
}
