/**
 * Texts of a recorded trace (protocol summaries and notes, string values of
 * note data and protocol state) stored as an interned template and the
 * numbers in it: "term=62 prev=654/t62 heartbeat commit=654" is the template
 * "term=# prev=#/t# heartbeat commit=#" and the numbers 62, 654, 62, 654. A
 * run prints a few hundred templates and millions of texts, so a text costs
 * a template id and a 32-bit word per number instead of a string (a protocol's
 * text is usually a tree of concatenated pieces, a hundred bytes or more).
 *
 * Interning reads the text once (no string is built unless the template is
 * new): it hashes the template's literal characters as it goes, and checks a
 * candidate template piece by piece against the text. A number is a maximal
 * run of ASCII digits of at most 9 digits without a leading zero ("0" itself
 * is one); any other digits stay literal, so every text comes back exactly.
 */
export class TextTemplates {
  /** Per template, its literal pieces: one more than its numbers. */
  private readonly pieces: string[][] = [];
  /** Template hash → template id, or ids when several share the hash. */
  private readonly byHash = new Map<number, number | number[]>();
  /** The numbers of the text last scanned. */
  private args = new Int32Array(16);
  private argCount = 0;
  private textBytes = 0;

  /** About how many bytes the templates hold. */
  get bytes(): number {
    return this.textBytes + TEMPLATE_BYTES * this.pieces.length;
  }

  /** How many numbers template `id` takes. */
  arity(id: number): number {
    return this.pieces[id]!.length - 1;
  }

  /**
   * Interns `text`'s template and returns its id; its numbers are then
   * `lastArgs()[0 .. arity(id))`, until the next call.
   */
  intern(text: string): number {
    const hash = this.scan(text);
    const found = this.byHash.get(hash);
    if (found !== undefined) {
      if (typeof found === 'number') {
        if (this.matches(found, text)) return found;
      } else {
        for (let i = 0; i < found.length; i++) if (this.matches(found[i]!, text)) return found[i]!;
      }
    }
    const id = this.pieces.length;
    this.pieces.push(this.split(text));
    this.textBytes += 2 * text.length;
    if (found === undefined) this.byHash.set(hash, id);
    else if (typeof found === 'number') this.byHash.set(hash, [found, id]);
    else found.push(id);
    return id;
  }

  /** The numbers of the text last interned. */
  lastArgs(): Int32Array {
    return this.args;
  }

  /** The text of template `id` with numbers `args[at ..]`. */
  text(id: number, args: (i: number) => number): string {
    const pieces = this.pieces[id]!;
    let out = pieces[0]!;
    for (let i = 1; i < pieces.length; i++) out += String(args(i - 1)) + pieces[i]!;
    return out;
  }

  /** Whether `text` is template `id` with the numbers args(0 ..): without building the text. */
  equals(id: number, args: (i: number) => number, text: string): boolean {
    return this.fits(id, text, args);
  }

  /** Hashes `text`'s template and collects its numbers into `args`. */
  private scan(text: string): number {
    let hash = 0x811c9dc5;
    let count = 0;
    const n = text.length;
    for (let i = 0; i < n; ) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57 && (i === 0 || !isDigit(text.charCodeAt(i - 1)))) {
        const end = numberEnd(text, i);
        if (end >= 0) {
          let value = 0;
          for (let j = i; j < end; j++) value = value * 10 + (text.charCodeAt(j) - 48);
          if (count === this.args.length) {
            const grown = new Int32Array(count * 2);
            grown.set(this.args);
            this.args = grown;
          }
          this.args[count++] = value;
          hash = Math.imul(hash ^ 0x10000, 0x01000193);
          i = end;
          continue;
        }
        // Literal digits: the whole run, so that none of it starts a number.
        let j = i;
        while (j < n && isDigit(text.charCodeAt(j))) hash = Math.imul(hash ^ text.charCodeAt(j++), 0x01000193);
        i = j;
        continue;
      }
      hash = Math.imul(hash ^ c, 0x01000193);
      i++;
    }
    this.argCount = count;
    return hash;
  }

  /** Whether `text` (just scanned) has template `id`. */
  private matches(id: number, text: string): boolean {
    return this.pieces[id]!.length - 1 === this.argCount && this.fits(id, text);
  }

  /** Whether `text` is template `id`'s pieces around numbers, those numbers being args(0 ..) when given. */
  private fits(id: number, text: string, args?: (i: number) => number): boolean {
    const pieces = this.pieces[id]!;
    let pos = 0;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (!text.startsWith(piece, pos)) return false;
      pos += piece.length;
      if (i === pieces.length - 1) break;
      const end = numberEnd(text, pos);
      if (end < 0 || (args !== undefined && Number(text.slice(pos, end)) !== args(i))) return false;
      pos = end;
    }
    return pos === text.length;
  }

  /** The literal pieces of `text` around its numbers. */
  private split(text: string): string[] {
    const out: string[] = [];
    let from = 0;
    for (let i = 0; i < text.length; ) {
      if (isDigit(text.charCodeAt(i)) && (i === 0 || !isDigit(text.charCodeAt(i - 1)))) {
        const end = numberEnd(text, i);
        if (end >= 0) {
          out.push(text.slice(from, i));
          from = i = end;
          continue;
        }
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
        continue;
      }
      i++;
    }
    out.push(text.slice(from));
    return out;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Where the number starting at `at` ends, or −1 when the digits there are
 * no number: a maximal digit run (not preceded by a digit: callers start at
 * a run's first digit) of at most 9 digits, without a leading zero.
 */
function numberEnd(text: string, at: number): number {
  if (at >= text.length || !isDigit(text.charCodeAt(at))) return -1;
  if (at > 0 && isDigit(text.charCodeAt(at - 1))) return -1;
  let end = at;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  if (end - at > MAX_DIGITS || (text.charCodeAt(at) === 48 && end - at > 1)) return -1;
  return end;
}

/** Digits of the longest number kept as a number (fits a 32-bit word). */
const MAX_DIGITS = 9;
/** About what a template's array, pieces and map entry cost besides their characters. */
const TEMPLATE_BYTES = 120;
