import type { PropertyValue } from '../protocols/protocol';
import { ByteArena, CHUNK as ARENA_CHUNK, unzigzag, WORD_BYTES, zigzag } from './byteArena';
import { Column } from './column';
import { TextTemplates } from './traceText';
import { StringIds } from './stringIds';

/**
 * Values a recorded trace keeps (note data, protocol state in the state
 * diffs) as 32-bit words instead of the objects the protocols made: a
 * value is written where its owner wants it (`write` into the owner's
 * column), and `read` builds it back, equal field for field and in the same
 * key order.
 *
 * - A scalar is a word or a few: a small integer one word, another number
 *   three (its float64 bits), null/true/false one; a string is its template
 *   and numbers (traceText.ts).
 * - An array or record is interned: stored once, by its words, in the
 *   codec's own table, and referred to by id; equal values made at
 *   different events (the same log entry on five nodes) share one copy.
 *   Its parts are themselves values, so nested values share structure.
 * - An array longer than CHUNK elements is stored as its chunks of CHUNK,
 *   each interned: two versions of a long list that differ at the end share
 *   every chunk but the last.
 * - Anything else (a protocol that reports a value outside PropertyValue)
 *   is kept as it is, so it also comes back as it was.
 *
 * Word tags (low 3 bits of a value's first word; the rest is the payload):
 * SMALL (a 29-bit integer), NUMBER (two words of float64 bits follow), TEXT
 * (template id; its numbers follow), REF (interned array or record id),
 * CONST (null, true, false, undefined), RAW (index of a kept object), INT (a 32-bit
 * integer follows).
 */
export class TraceValues {
  readonly texts = new TextTemplates();
  /** Interned arrays and records: their words, one after another. */
  private readonly table = Column.int32();
  private tableUsed = 0;
  /** Per interned value, where its words start. */
  private readonly starts = Column.int32();
  private count = 0;
  /**
   * The interned values by the hash of their words: an open-addressing
   * table of id + 1 (0: free), at most half full, and each id's hash (a
   * typed table costs a few bytes per value, a Map entry tens).
   */
  private slots = new Int32Array(0); // made at the first value interned: most runs intern none
  private readonly hashes = Column.int32();
  /** Record keys, interned. */
  private readonly keys = new StringIds();
  private readonly raw: unknown[] = [];
  /** Words of values being interned (a stack: nested values go after their parent's). */
  private scratch = new Int32Array(256);
  /** Words of the value last read from a byte arena. */
  private readWords = new Int32Array(16);
  private readonly f64 = new Float64Array(1);
  private readonly f64Words = new Int32Array(this.f64.buffer);

  /** About how many bytes the codec's tables hold. */
  get bytes(): number {
    return 4 * this.tableUsed + 8 * this.count + 4 * this.slots.length + 48 * this.keys.size + 64 * this.raw.length + this.texts.bytes;
  }

  /** Writes `value` into `out` from word `at`; returns where the next word goes. */
  write(value: unknown, out: Column, at: number): number {
    const end = this.encode(value, 0);
    for (let i = 0; i < end; i++) out.set(at + i, this.scratch[i]!);
    return at + end;
  }

  /** The value written at word `at` of `words` (`next` is then where the next one starts). */
  read(words: Column, at: number): unknown {
    return this.decode((i) => words.get(i), at);
  }

  /** Where the value written at word `at` of `words` ends. */
  skip(words: Column, at: number): number {
    const word = words.get(at);
    switch (word & TAG_MASK) {
      case NUMBER: return at + 3;
      case INT: return at + 2;
      case TEXT: return at + 1 + this.texts.arity(word >> TAG_BITS);
      default: return at + 1;
    }
  }

  /**
   * Writes `first` and then `second` into byte arena `out`, each word as a
   * variable-length integer (a template id or a small number takes a byte or
   * two instead of four), and returns where they start; `readBytes` reads
   * them back from there, one after the other.
   */
  writeBytes(first: unknown, second: unknown, out: ByteArena): number {
    let end = this.encode(second, this.encode(first, 0));
    if (end * WORD_BYTES > ARENA_CHUNK) {
      // A text of thousands of numbers: kept as they are rather than split across chunks.
      this.scratch[0] = (this.raw.length << TAG_BITS) | RAW;
      this.scratch[1] = ((this.raw.length + 1) << TAG_BITS) | RAW;
      this.raw.push(first, second);
      end = 2;
    }
    out.reserve(end * WORD_BYTES);
    const at = out.position;
    for (let i = 0; i < end; i++) out.putUvarint(zigzag(this.scratch[i]!));
    return at;
  }

  /** The value at the read cursor of `arena` (written by `writeBytes`); the cursor moves past it. */
  readBytes(arena: ByteArena): unknown {
    this.wordsFrom(arena);
    const words = this.readWords;
    return this.decode((i) => words[i]!, 0);
  }

  /** Whether the value at the read cursor of `arena` is the string `text` (without building it). */
  isTextBytes(arena: ByteArena, text: string): boolean {
    this.wordsFrom(arena);
    const words = this.readWords;
    const word = words[0]!;
    return (word & TAG_MASK) === TEXT && this.texts.equals(word >> TAG_BITS, (i) => words[1 + i]!, text);
  }

  /** Reads one value's words from the cursor of `arena` into `readWords`. */
  private wordsFrom(arena: ByteArena): void {
    const first = unzigzag(arena.getUvarint());
    const tag = first & TAG_MASK;
    const n = tag === NUMBER ? 3 : tag === INT ? 2 : tag === TEXT ? 1 + this.texts.arity(first >> TAG_BITS) : 1;
    if (n > this.readWords.length) this.readWords = new Int32Array(Math.max(n, 2 * this.readWords.length));
    this.readWords[0] = first;
    for (let i = 1; i < n; i++) this.readWords[i] = unzigzag(arena.getUvarint());
  }

  /** Whether the value at word `at` of `words` is the string `text` (without building it). */
  isText(words: Column, at: number, text: string): boolean {
    const word = words.get(at);
    return (word & TAG_MASK) === TEXT && this.texts.equals(word >> TAG_BITS, (i) => words.get(at + 1 + i), text);
  }

  /** The position after the last decoded value. */
  next = 0;

  private decode(get: (i: number) => number, at: number): unknown {
    const word = get(at);
    const payload = word >> TAG_BITS;
    switch (word & TAG_MASK) {
      case SMALL:
        this.next = at + 1;
        return payload;
      case INT:
        this.next = at + 2;
        return get(at + 1);
      case NUMBER:
        this.f64Words[0] = get(at + 1);
        this.f64Words[1] = get(at + 2);
        this.next = at + 3;
        return this.f64[0]!;
      case CONST:
        this.next = at + 1;
        return payload === 0 ? null : payload === 3 ? undefined : payload === 1;
      case RAW:
        this.next = at + 1;
        return this.raw[payload];
      case TEXT: {
        const text = this.texts.text(payload, (i) => get(at + 1 + i));
        this.next = at + 1 + this.texts.arity(payload);
        return text;
      }
      default: {
        const value = this.interned(payload);
        this.next = at + 1;
        return value;
      }
    }
  }

  /** Interned value `id` built back. */
  private interned(id: number): PropertyValue {
    const table = this.table;
    const get = (i: number): number => table.get(i);
    const start = this.starts.get(id);
    const kind = table.get(start);
    const n = table.get(start + 1);
    let at = start + 2;
    if (kind === K_RECORD) {
      const out: Record<string, PropertyValue> = {};
      for (let i = 0; i < n; i++) {
        const key = this.keys.at(table.get(at));
        const value = this.decode(get, at + 1) as PropertyValue;
        at = this.next;
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    const out: PropertyValue[] = [];
    if (kind === K_CHUNKED) {
      for (let c = 0; c < n; c++) for (const v of this.interned(table.get(at + c)) as PropertyValue[]) out.push(v);
      return out;
    }
    for (let i = 0; i < n; i++) {
      out.push(this.decode(get, at) as PropertyValue);
      at = this.next;
    }
    return out;
  }

  /** Encodes `value` into the scratch from word `at`; returns the end. */
  private encode(value: unknown, at: number): number {
    this.room(at + 3);
    const s = this.scratch;
    if (typeof value === 'number') {
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        if (value >= -SMALL_LIMIT && value < SMALL_LIMIT) {
          s[at] = (value << TAG_BITS) | SMALL;
          return at + 1;
        }
        s[at] = INT;
        s[at + 1] = value;
        return at + 2;
      }
      this.f64[0] = value;
      s[at] = NUMBER;
      s[at + 1] = this.f64Words[0]!;
      s[at + 2] = this.f64Words[1]!;
      return at + 3;
    }
    if (typeof value === 'string') {
      const id = this.texts.intern(value);
      const arity = this.texts.arity(id);
      this.room(at + 1 + arity);
      const args = this.texts.lastArgs();
      this.scratch[at] = (id << TAG_BITS) | TEXT;
      for (let i = 0; i < arity; i++) this.scratch[at + 1 + i] = args[i]!;
      return at + 1 + arity;
    }
    if (value === null) {
      s[at] = CONST;
      return at + 1;
    }
    if (value === undefined) {
      s[at] = (3 << TAG_BITS) | CONST;
      return at + 1;
    }
    if (typeof value === 'boolean') {
      s[at] = ((value ? 1 : 2) << TAG_BITS) | CONST;
      return at + 1;
    }
    if (typeof value === 'object' && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
      const id = this.internComposite(value as PropertyValue, at);
      this.scratch[at] = (id << TAG_BITS) | REF; // the scratch may have grown meanwhile
      return at + 1;
    }
    s[at] = (this.raw.length << TAG_BITS) | RAW;
    this.raw.push(value);
    return at + 1;
  }

  /** Interns an array or plain record, encoding it in the scratch after `from` (left as it was). */
  private internComposite(value: PropertyValue, from: number): number {
    let at = from + 1;
    this.room(at + 2);
    if (Array.isArray(value)) {
      const list = value as readonly PropertyValue[];
      if (list.length > CHUNK) {
        const chunks = Math.ceil(list.length / CHUNK);
        this.room(at + 2 + chunks);
        this.scratch[at] = K_CHUNKED;
        this.scratch[at + 1] = chunks;
        for (let c = 0; c < chunks; c++) {
          const id = this.internComposite(list.slice(c * CHUNK, (c + 1) * CHUNK), at + 2 + c);
          this.scratch[at + 2 + c] = id;
        }
        return this.internWords(at, at + 2 + chunks);
      }
      this.scratch[at] = K_ARRAY;
      this.scratch[at + 1] = list.length;
      let end = at + 2;
      for (let i = 0; i < list.length; i++) end = this.encode(list[i], end);
      return this.internWords(at, end);
    }
    const record = value as { readonly [key: string]: PropertyValue };
    this.scratch[at] = K_RECORD;
    let n = 0;
    let end = at + 2;
    for (const key of Object.keys(record)) {
      this.room(end + 1);
      this.scratch[end] = this.keys.id(key);
      end = this.encode(record[key], end + 1);
      n++;
    }
    this.scratch[at + 1] = n;
    return this.internWords(at, end);
  }

  /** The id of the interned value whose words are scratch[from, end). */
  private internWords(from: number, end: number): number {
    const s = this.scratch;
    let hash = 0x811c9dc5;
    for (let i = from; i < end; i++) hash = Math.imul(hash ^ s[i]!, 0x01000193);
    if (this.slots.length === 0) this.slots = new Int32Array(FIRST_SLOTS);
    const mask = this.slots.length - 1;
    let i = hash & mask;
    for (let slot = this.slots[i]!; slot !== 0; slot = this.slots[i]!) {
      if (this.hashes.get(slot - 1) === hash && this.same(slot - 1, from, end)) return slot - 1;
      i = (i + 1) & mask;
    }
    const id = this.count++;
    this.starts.set(id, this.tableUsed);
    this.hashes.set(id, hash);
    for (let k = from; k < end; k++) this.table.set(this.tableUsed++, s[k]!);
    this.slots[i] = id + 1;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  /** Doubles the slot table and puts every id back. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let i = this.hashes.get(id) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
  }

  private same(id: number, from: number, end: number): boolean {
    const start = this.starts.get(id);
    const stop = id + 1 < this.count ? this.starts.get(id + 1) : this.tableUsed;
    if (stop - start !== end - from) return false;
    for (let i = 0; i < end - from; i++) if (this.table.get(start + i) !== this.scratch[from + i]) return false;
    return true;
  }


  /** Makes the scratch hold at least `length` words. */
  private room(length: number): void {
    if (length <= this.scratch.length) return;
    let size = this.scratch.length * 2;
    while (size < length) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.scratch);
    this.scratch = grown;
  }
}

const TAG_BITS = 3;
const TAG_MASK = (1 << TAG_BITS) - 1;
const SMALL = 0;
const NUMBER = 1;
const TEXT = 2;
const REF = 3;
const CONST = 4;
const RAW = 5;
const INT = 6;
/** Integers in [−SMALL_LIMIT, SMALL_LIMIT) fit one word with the tag. */
const SMALL_LIMIT = 1 << (31 - TAG_BITS);
/** Interned value kinds: the first of its words, then its length. */
const K_ARRAY = 0;
const K_RECORD = 1;
const K_CHUNKED = 2;
const FIRST_SLOTS = 256;
/** Elements per chunk of a long array. */
const CHUNK = 32;
