/**
 * How the language server process is started, shared by the extension client
 * and the LSP benchmark so both measure the same thing.
 *
 * A small young generation (2 MB semi-spaces instead of V8's 16 MB) keeps the
 * server's resident memory near its live data: every edit re-parses and
 * re-simulates, and the short-lived garbage would otherwise keep the heap
 * grown (bench/lsp.bench.ts, 2,000-line scenario, 80 edits: 169 MB → 130–153 MB
 * resident; latencies within run-to-run noise).
 *
 * The old generation may grow to 1.5 times what a full collection left alive
 * before the next one (V8 otherwise picks up to 4 times when the program
 * allocates fast, as every edit of a big file does: each version's parse,
 * check and run are garbage a version later). The flag is process-wide, so it
 * holds in a big document's worker too. Measured with bench/lsp.bench.ts's
 * scenarios (peak resident set, 20 edits of each kind, 8 at 20,000 lines):
 * 200 lines 131 → 92 MB, 2,000 lines 151 → 100 MB, 20,000 lines 343 → 201 MB;
 * the server's CPU time (user + system) at 20,000 lines 6.0 → 6.05–6.5 s in
 * three runs on a loaded machine (collections more frequent, each shorter).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=50'];

/**
 * Environment added to the server process's own. MALLOC_ARENA_MAX=1: glibc
 * gives every thread that allocates its own malloc arena (up to eight per
 * core), and memory freed in one (V8's compiler and parser zones, the
 * analysis worker's message buffers) stays resident in it, out of the other
 * threads' reach. With a big document the server runs at least three
 * threads that allocate: the main thread, the document's analysis worker
 * and V8's collector helpers. One shared arena measured with
 * bench/lsp.bench.ts's 20,000-line scenario, peak resident set in five runs
 * each: 196, 198, 198, 199, 205 MB → 188, 189, 190, 193, 204 MB (median 198 →
 * 190); the analysis worker alone, loaded and idle, 41 → 35 MB.
 * Ignored where the C library is not glibc (macOS, Windows, musl).
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };
