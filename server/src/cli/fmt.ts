import * as fs from 'node:fs';
import { format } from '../core/format/formatter';
import { printable } from '../core/printable';
import { parse } from '../core/syntax/parse';
import { printDiagnostics, type Output } from './output';
import { displayName, readSource, type Source } from './source';

/**
 * `dsync fmt` for one file. The core formatter works on LF text; the file's
 * own conventions are put back around it: CRLF line ends when the file uses
 * them (most of its line ends are CRLF), and its byte order mark. So a CRLF
 * file that is formatted is reported formatted, and `--write` changes only
 * what the formatter changes.
 */
export function formatFile(file: string, mode: 'print' | 'check' | 'write', io: Output): number {
  const name = displayName(file);
  const source: Source = readSource(file);
  if ('error' in source) {
    io.err(source.error);
    return 2;
  }
  const crlf = usesCrlf(source.text);
  const lf = crlf ? source.text.replace(/\r\n/g, '\n') : source.text;
  const formatted = format(lf);
  if (formatted === undefined) {
    printDiagnostics(name, parse(source.text).diagnostics, io);
    io.err(printable(`${name}: not formatted: fix the syntax errors first`));
    return 2;
  }
  const styled = crlf ? formatted.replace(/\n/g, '\r\n') : formatted;
  switch (mode) {
    case 'check':
      if (styled === source.text) return 0;
      io.out(printable(`${name}: not formatted`));
      return 1;
    case 'write':
      if (styled !== source.text) fs.writeFileSync(file, (source.bom ? '\ufeff' : '') + styled);
      return 0;
    case 'print':
      // `out` ends the text with "\n": leaving a CRLF file's last "\r" in
      // place makes its last line end in CRLF like every other.
      io.out(styled.replace(/\n$/, ''));
      return 0;
  }
}

/** Whether most line ends of the text are CRLF. */
function usesCrlf(text: string): boolean {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf;
}
