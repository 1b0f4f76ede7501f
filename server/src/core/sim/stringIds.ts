/**
 * Strings numbered densely in the order they are first seen: the key tables of
 * the recorded state diffs and of the interned trace values. `id(s)` is
 * stable for the life of the table; `at(id)` gives the string back.
 */
export class StringIds {
  private readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `s`, numbering it if new. */
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The string numbered `id`. */
  at(id: number): string {
    return this.strings[id]!;
  }

  /** How many strings are numbered. */
  get size(): number {
    return this.strings.length;
  }
}
