import type { IToken } from 'chevrotain';
import type { SourceRange } from '../../core/source';
import type * as A from '../../core/syntax/ast';

/** The token at (or touching the end of) an offset, skipping comments. */
export function tokenAt(tokens: readonly IToken[], offset: number): IToken | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid]!;
    if (t.endOffset! + 1 < offset) lo = mid + 1;
    else if (t.startOffset > offset) hi = mid - 1;
    else return t;
  }
  return undefined;
}

export function contains(range: SourceRange, offset: number): boolean {
  return offset >= range.startOffset && offset <= range.endOffset;
}

/** The top-level statement containing the offset. */
export function statementAt(file: A.DsyncFile, offset: number): A.Statement | undefined {
  return file.statements.find((s) => contains(s.range, offset));
}
