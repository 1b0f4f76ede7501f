/**
 * User text (labels, names, messages that quote them, paths) made safe to
 * print on a terminal, the one rule of every human-readable output: control
 * characters (C0 but tab, DEL, C1) and the bidirectional controls that
 * reorder what a line shows (U+061C, U+200E/F, U+202A–E, U+2066–9) become
 * visible escapes (`\n`, `\r`, `\u001b`, …). So a file can never move the
 * cursor, ring the bell, recolour the terminal, split one event over two
 * lines or disguise a line's order. Other text, non-ASCII letters
 * included, is unchanged.
 */
const CLASS = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';
const ANY_UNPRINTABLE = new RegExp(CLASS);
const EVERY_UNPRINTABLE = new RegExp(CLASS, 'g');

export function printable(text: string): string {
  return ANY_UNPRINTABLE.test(text) ? text.replace(EVERY_UNPRINTABLE, escapeChar) : text;
}

/** A label or other user string in double quotes: `\`, `"` and tab escaped too, so the quotes always pair and the columns stay. */
export function quoted(text: string): string {
  return `"${printable(text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t'))}"`;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}
