import { ResponseError, type Location, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { protocolOccurrences, type ProtocolOccurrence } from '../../core/analysis/protocolReferences';
import { nodeOccurrences, type NodeOccurrence } from '../../core/analysis/references';
import { KEYWORD_NAMES } from '../../core/syntax/lexer';
import type * as A from '../../core/syntax/ast';
import { toLspRange } from '../convert';
import { contains } from './locate';

/** Go to definition, find references and rename, for node names. */
export class NodeNavigation {
  private readonly occurrences: readonly NodeOccurrence[];

  constructor(file: A.DsyncFile, private readonly uri: string) {
    this.occurrences = nodeOccurrences(file);
  }

  private at(offset: number): NodeOccurrence | undefined {
    return this.occurrences.find((o) => contains(o.range, offset));
  }

  definition(offset: number): Location[] {
    const hit = this.at(offset);
    if (!hit) return [];
    return this.occurrences.filter((o) => o.name === hit.name && o.declaration).map((o) => this.location(o));
  }

  references(offset: number, includeDeclaration: boolean): Location[] {
    const hit = this.at(offset);
    if (!hit) return [];
    return this.occurrences.filter((o) => o.name === hit.name && (includeDeclaration || !o.declaration)).map((o) => this.location(o));
  }

  prepareRename(offset: number): { range: Range; placeholder: string } | null {
    const hit = this.at(offset);
    if (!hit) return null;
    const all = this.occurrences.filter((o) => o.name === hit.name);
    if (!all.some((o) => o.declaration)) return null;
    if (all.some((o) => o.inRange)) throw new ResponseError(0, `'${hit.name}' is declared by a numbered range (like n1..n5); rename the range instead`);
    return { range: toLspRange(hit.range), placeholder: hit.name };
  }

  rename(offset: number, newName: string): WorkspaceEdit | null {
    const prepared = this.prepareRename(offset);
    if (!prepared) return null;
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(newName) || (KEYWORD_NAMES as readonly string[]).includes(newName)) {
      throw new ResponseError(0, `'${newName}' is not a valid node name (letters, digits and _, not a keyword)`);
    }
    const hit = this.at(offset)!;
    if (this.occurrences.some((o) => o.name === newName && o.declaration)) throw new ResponseError(0, `a node named '${newName}' already exists`);
    const edits = this.occurrences.filter((o) => o.name === hit.name).map((o) => ({ range: toLspRange(o.range), newText: newName }));
    return { changes: { [this.uri]: edits } };
  }

  private location(o: NodeOccurrence): Location {
    return { uri: this.uri, range: toLspRange(o.range) };
  }
}

/** Go to definition, find references and rename for a written protocol's names (protocolReferences.ts). */
export class ProtocolNavigation {
  private readonly occurrences: ProtocolOccurrence[];

  constructor(file: A.DsyncFile, private readonly uri: string) {
    this.occurrences = protocolOccurrences(file);
  }

  /** True when the offset is on one of the protocol's names (then this answers, not node navigation). */
  covers(offset: number): boolean {
    return this.at(offset) !== undefined;
  }

  private at(offset: number): ProtocolOccurrence | undefined {
    return this.occurrences.find((o) => contains(o.range, offset));
  }

  definition(offset: number): Location[] {
    const hit = this.at(offset);
    if (!hit) return [];
    return this.occurrences.filter((o) => o.symbol === hit.symbol && o.declaration).map((o) => this.location(o));
  }

  references(offset: number, includeDeclaration: boolean): Location[] {
    const hit = this.at(offset);
    if (!hit) return [];
    return this.occurrences.filter((o) => o.symbol === hit.symbol && (includeDeclaration || !o.declaration)).map((o) => this.location(o));
  }

  prepareRename(offset: number): { range: Range; placeholder: string } | null {
    const hit = this.at(offset);
    if (!hit || !this.occurrences.some((o) => o.symbol === hit.symbol && o.declaration)) return null;
    return { range: toLspRange(hit.range), placeholder: hit.name };
  }

  rename(offset: number, newName: string): WorkspaceEdit | null {
    const hit = this.at(offset);
    if (!hit || !this.prepareRename(offset)) return null;
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(newName) || (KEYWORD_NAMES as readonly string[]).includes(newName)) {
      throw new ResponseError(0, `'${newName}' is not a valid name (letters, digits and _, not a keyword)`);
    }
    // A member, message, field, timer or protocol may not take the name of a sibling (locals may shadow).
    const sibling = hit.symbol.includes(' local ') ? undefined : `${hit.symbol.slice(0, hit.symbol.length - hit.name.length)}${newName}`;
    const protocolSibling = hit.symbol.endsWith(' protocol') ? `${newName} protocol` : undefined;
    if (this.occurrences.some((o) => o.declaration && (o.symbol === sibling || o.symbol === protocolSibling))) throw new ResponseError(0, `'${newName}' is already declared there`);
    const edits = this.occurrences.filter((o) => o.symbol === hit.symbol).map((o) => ({ range: toLspRange(o.range), newText: newName }));
    return { changes: { [this.uri]: edits } };
  }

  private location(o: ProtocolOccurrence): Location {
    return { uri: this.uri, range: toLspRange(o.range) };
  }
}

/** Protocol names first (they are never nodes), node names otherwise. */
export function navigationAt(file: A.DsyncFile, uri: string, offset: number): NodeNavigation | ProtocolNavigation {
  const protocol = new ProtocolNavigation(file, uri);
  return protocol.covers(offset) ? protocol : new NodeNavigation(file, uri);
}
