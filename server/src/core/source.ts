/**
 * Source positions. Lines and columns are 1-based (as printed by the CLI as
 * `file:line:col`); offsets are 0-based character offsets into the text.
 * The language server converts to LSP's 0-based positions at its edge.
 */
export interface SourceRange {
  readonly startOffset: number;
  readonly endOffset: number; // exclusive
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number; // exclusive
}

export const NO_RANGE: SourceRange = {
  startOffset: 0,
  endOffset: 0,
  startLine: 1,
  startColumn: 1,
  endLine: 1,
  endColumn: 1,
};

/** The smallest range covering both. */
export function spanRanges(a: SourceRange, b: SourceRange): SourceRange {
  const first = a.startOffset <= b.startOffset ? a : b;
  const last = a.endOffset >= b.endOffset ? a : b;
  return {
    startOffset: first.startOffset,
    startLine: first.startLine,
    startColumn: first.startColumn,
    endOffset: last.endOffset,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

export function rangeContains(range: SourceRange, offset: number): boolean {
  return offset >= range.startOffset && offset <= range.endOffset;
}
