import * as path from 'node:path';
import { CATALOG, type Diagnostic, type DiagnosticCode } from '../core/diagnostics';

/**
 * Diagnostics as data, for tools: `dsync check --json` (and `run --json` on
 * a file that does not check) and `dsync check --format sarif` (SARIF 2.1.0,
 * which code-scanning services read). Lines and columns are 1-based, columns
 * in UTF-16 code units, as the text output prints them.
 */
export interface FileDiagnostics {
  /** The path as given on the command line, `<stdin>` for standard input. */
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Why the file could not be read, when it could not (no diagnostics then). */
  readonly error?: string;
}

interface DiagnosticJson {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related?: { message: string; line: number; column: number }[];
}

function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.range.startLine,
    column: d.range.startColumn,
    endLine: d.range.endLine,
    endColumn: d.range.endColumn,
    ...(d.related?.length ? { related: d.related.map((r) => ({ message: r.message, line: r.range.startLine, column: r.range.startColumn })) } : {}),
  };
}

/** One file: `{ file, ok, diagnostics: [{ code, severity, message, line, column, endLine, endColumn, related? }], error? }`. */
export function fileJson(f: FileDiagnostics): object {
  const ok = f.error === undefined && !f.diagnostics.some((d) => d.severity === 'error');
  return { file: f.file, ok, diagnostics: f.diagnostics.map(diagnosticJson), ...(f.error !== undefined ? { error: f.error } : {}) };
}

export function diagnosticsJson(files: readonly FileDiagnostics[]): string {
  return JSON.stringify({ files: files.map(fileJson) }, null, 2);
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log with one run: the tool's rules (the DS codes that
 * occur, with their catalog titles and default levels) and one result per
 * diagnostic, located by artifact URI (relative paths as relative
 * references, `/` separated) and region. A file that could not be read is a
 * tool execution notification, not a result.
 */
export function diagnosticsSarif(files: readonly FileDiagnostics[], version: string): string {
  const codes = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => ({
    id: code,
    name: ruleName(code),
    shortDescription: { text: CATALOG[code].title },
    defaultConfiguration: { level: sarifLevel(CATALOG[code].severity) },
  }));
  const results = files.flatMap((f) =>
    f.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: sarifLevel(d.severity),
      message: { text: d.message },
      locations: [location(f.file, d.range.startLine, d.range.startColumn, d.range.endLine, d.range.endColumn)],
      ...(d.related?.length
        ? { relatedLocations: d.related.map((r, id) => ({ id, ...location(f.file, r.range.startLine, r.range.startColumn, r.range.endLine, r.range.endColumn), message: { text: r.message } })) }
        : {}),
    })),
  );
  const unreadable = files.filter((f) => f.error !== undefined);
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'dsync', version, rules } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            ...(unreadable.length
              ? { toolExecutionNotifications: unreadable.map((f) => ({ level: 'error', message: { text: f.error! }, locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(f.file) } } }] })) }
              : {}),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function location(file: string, startLine: number, startColumn: number, endLine: number, endColumn: number): { physicalLocation: object } {
  // SARIF regions need endColumn > startColumn on one line; an empty range (end of file) gets one column.
  const end = endLine > startLine || endColumn > startColumn ? { endLine, endColumn } : { endLine: startLine, endColumn: startColumn + 1 };
  return { physicalLocation: { artifactLocation: { uri: artifactUri(file) }, region: { startLine, startColumn, ...end } } };
}

/** A relative reference for a relative path, a file: URI for an absolute one; `stdin` for standard input. */
function artifactUri(file: string): string {
  if (file === '<stdin>') return 'stdin';
  const slashed = file.split(path.sep).join('/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return path.isAbsolute(file) ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}

function sarifLevel(severity: string): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** `unknown node` → `UnknownNode`: SARIF's rule name is an identifier. */
function ruleName(code: DiagnosticCode): string {
  return CATALOG[code].title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());
}
