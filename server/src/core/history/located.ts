/**
 * Values read from a history file, each with where it starts (1-based line
 * and column), so every later complaint can point at the input. EDN
 * (edn.ts) and JSON (json.ts) both read into this one shape.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export type Datum =
  | (Position & { readonly kind: 'nil' })
  | (Position & { readonly kind: 'bool'; readonly value: boolean })
  /** Integers keep their digits: histories may hold values past 2^53. */
  | (Position & { readonly kind: 'int'; readonly text: string })
  | (Position & { readonly kind: 'float'; readonly value: number })
  | (Position & { readonly kind: 'string'; readonly value: string })
  | (Position & { readonly kind: 'keyword'; readonly name: string })
  | (Position & { readonly kind: 'symbol'; readonly name: string })
  | (Position & { readonly kind: 'vector' | 'list' | 'set'; readonly items: readonly Datum[] })
  | (Position & { readonly kind: 'map'; readonly entries: readonly (readonly [Datum, Datum])[] })
  | (Position & { readonly kind: 'tagged'; readonly tag: string; readonly value: Datum });

/** Bad input: a message and where. The CLI prints `file:line:column: message` and exits 2. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function fail(at: Position, message: string): never {
  throw new HistoryError(message, at.line, at.column);
}

/** The value under keyword `:name` (EDN) or string key "name" (JSON) of a map. */
export function field(map: Datum & { kind: 'map' }, name: string): Datum | undefined {
  for (const [k, v] of map.entries) if ((k.kind === 'keyword' || k.kind === 'string') && (k.kind === 'keyword' ? k.name : k.value) === name) return v;
  return undefined;
}

/** How a datum reads in a message: `:invoke`, `3`, `"x"`, `[1 2]`. */
export function showDatum(d: Datum): string {
  switch (d.kind) {
    case 'nil': return 'nil';
    case 'bool': return String(d.value);
    case 'int': return d.text;
    case 'float': return String(d.value);
    case 'string': return JSON.stringify(d.value);
    case 'keyword': return `:${d.name}`;
    case 'symbol': return d.name;
    case 'vector': return `[${d.items.map(showDatum).join(' ')}]`;
    case 'list': return `(${d.items.map(showDatum).join(' ')})`;
    case 'set': return `#{${d.items.map(showDatum).join(' ')}}`;
    case 'map': return `{${d.entries.map(([k, v]) => `${showDatum(k)} ${showDatum(v)}`).join(', ')}}`;
    case 'tagged': return `#${d.tag} ${showDatum(d.value)}`;
  }
}

/**
 * A cursor over a text that knows the line and column it stands at (both
 * from 1), so the history readers can locate every value and every error.
 */
export class TextCursor {
  protected i = 0;
  protected line: number;
  protected column: number;

  constructor(protected readonly text: string, startLine = 1, startColumn = 1) {
    this.line = startLine;
    this.column = startColumn;
  }

  here(): Position {
    return { line: this.line, column: this.column };
  }

  protected advance(): string {
    const c = this.text[this.i++]!;
    if (c === '\n') {
      this.line++;
      this.column = 1;
    } else {
      this.column++;
    }
    return c;
  }
}
