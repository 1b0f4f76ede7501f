/** A replacement of text[start, end) by `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Deletes text[start, end) with the `;` and spaces after it, and the whole
 * line when nothing else is left on it, so deleted statements leave no
 * blank holes behind.
 */
export function deletion(text: string, start: number, end: number): TextEdit {
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  if (text[e] === ';') e++;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  const lineStart = s === 0 || text[s - 1] === '\n';
  const lineEnd = e >= text.length || text[e] === '\n' || text[e] === '\r';
  if (lineStart && lineEnd) {
    if (text[e] === '\r') e++;
    if (text[e] === '\n') e++;
    return { start: s, end: e, text: '' };
  }
  return { start, end: e, text: '' };
}
