/**
 * How the language server process is started, shared by the extension client
 * and the LSP benchmark so both measure the same thing.
 *
 * A small young generation (2 MB semi-spaces instead of V8's 16 MB) keeps the
 * server's resident memory near its live data: every edit re-parses and
 * re-simulates, and the short-lived garbage would otherwise keep the heap
 * grown (bench/lsp.bench.ts, 2,000-line scenario, 80 edits: 169 MB → 130–153 MB
 * resident; latencies within run-to-run noise).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2'];
