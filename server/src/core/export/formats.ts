import type { RunResult } from '../sim/result';
import { itfChunks } from './itf';
import { mermaidLines } from './mermaid';
import { shivizLines } from './shiviz';

/** The formats `dsync run --format` exports a run to, besides its own text and JSON. */
export const EXPORT_FORMATS = ['shiviz', 'itf', 'mermaid'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** ShiViz and ITF: the first N events; Mermaid: at most N arrows and notes (default 200). */
  readonly limit?: number;
  /** The scenario file's name, for the ITF trace's `#meta.source`. */
  readonly source?: string;
}

/** The export's text in pieces (lines end with `\n`), for writing with backpressure. */
export function* exportChunks(format: ExportFormat, result: RunResult, options: ExportOptions = {}): Generator<string> {
  switch (format) {
    case 'itf':
      yield* itfChunks(result, options);
      return;
    case 'shiviz':
      for (const line of shivizLines(result, options)) yield `${line}\n`;
      return;
    case 'mermaid':
      for (const line of mermaidLines(result, options)) yield `${line}\n`;
      return;
  }
}
