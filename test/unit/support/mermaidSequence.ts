/**
 * A checker for the subset of Mermaid's sequence-diagram language that
 * `dsync run --format mermaid` writes, built from Mermaid's own grammar
 * (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison):
 * the same lexer rules in the same order (first match wins, case-insensitive,
 * keywords before names), after Mermaid's entity-code preprocessing
 * (`#35;` → a placeholder), and the statement forms of the subset:
 *
 *   document    := 'sequenceDiagram' NEWLINE line*
 *   line        := title | participant ACTOR ['as' restOfLine] | ACTOR signaltype ACTOR TXT
 *                | 'note' 'over' ACTOR [',' ACTOR] TXT
 *   signaltype  := '->>' | '-x' | '-)'
 *
 * No npm package parses Mermaid sequence diagrams without a browser DOM
 * (`mermaid` itself needs one; `@mermaid-js/parser` has no sequence grammar),
 * hence this. It throws with the line number on the first line it rejects and
 * returns what it read.
 */
export interface MermaidSequence {
  readonly title?: string;
  readonly participants: readonly { readonly id: string; readonly alias?: string }[];
  readonly messages: readonly { readonly from: string; readonly arrow: string; readonly to: string; readonly text: string }[];
  readonly notes: readonly { readonly over: readonly string[]; readonly text: string }[];
}

/** Mermaid's encodeEntities: `#name;` and `#123;` are taken out before lexing and put back as HTML entities. */
function encodeEntities(text: string): string {
  return text.replace(/#\w+;/g, (s) => `\uFB02\u00B0${/^#\d+;$/.test(s) ? '\u00B0' : ''}${s.slice(1, -1)}\u00B6\u00DF`);
}

function decodeEntities(text: string): string {
  return text.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (_, n: string) => `&${n};`);
}

type Token = { type: string; text: string };

/** Keyword rules of the INITIAL state, in the jison file's order (those that start a state are marked). */
const KEYWORDS: readonly [string, string][] = [
  ['box', 'box'], ['participant', 'participant'], ['actor', 'participant_actor'], ['create', 'create'], ['destroy', 'destroy'],
  ['loop', 'loop'], ['rect', 'rect'], ['opt', 'opt'], ['alt', 'alt'], ['else', 'else'], ['par', 'par'], ['par_over', 'par_over'],
  ['and', 'and'], ['critical', 'critical'], ['option', 'option'], ['break', 'break'],
];
const LATER_KEYWORDS: readonly [string, string][] = [
  ['end', 'end'], ['left of', 'left_of'], ['right of', 'right_of'], ['links', 'links'], ['link', 'link'], ['properties', 'properties'],
  ['details', 'details'], ['over', 'over'], ['note', 'note'], ['activate', 'activate'], ['deactivate', 'deactivate'],
];
/** After the title rules: the diagram's own keyword and autonumber's. */
const LATE_WORDS: readonly [string, string][] = [['sequencediagram', 'SD'], ['autonumber', 'autonumber'], ['off', 'off']];
const ACTOR = /^[^+\->:\n,;]+((?!(-x|--x|-\)|--\)))-*[^+\->:\n,;]+)*/;
const ARROWS: readonly [string, string][] = [['->>', 'SOLID_ARROW'], ['-->>', 'DOTTED_ARROW'], ['->', 'SOLID_OPEN_ARROW'], ['-->', 'DOTTED_OPEN_ARROW']];
const POINTS: readonly [RegExp, string][] = [[/^-x/i, 'SOLID_CROSS'], [/^--x/i, 'DOTTED_CROSS'], [/^-\)/, 'SOLID_POINT'], [/^--\)/, 'DOTTED_POINT']];

/** The INITIAL-state tokens of one line (the subset's lines never span two). */
function lexLine(line: string): Token[] {
  const tokens: Token[] = [];
  let rest = line;
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\s+/.exec(rest))) {
      rest = rest.slice(m[0].length);
      continue;
    }
    if (/^#/.test(rest) || /^%%(?!\{)/.test(rest)) throw new Error(`a comment starts at '${rest}'`);
    if (/^[^}]%%/.test(rest)) throw new Error(`'%%' starts a comment in '${rest}'`);
    if ((m = /^[0-9]+(?=[ \n]+)/.exec(rest))) throw new Error(`a number token at '${rest}'`);
    const keyword = KEYWORDS.find(([k]) => rest.toLowerCase().startsWith(k));
    if (keyword) {
      rest = rest.slice(keyword[0].length);
      tokens.push({ type: keyword[1], text: keyword[0] });
      if (keyword[1] === 'participant') {
        // The ID state: the actor up to ` as `, then the ALIAS state's `as` and the LINE state's rest of line.
        const id = /^\s*([^\->:\n,;]+?([-]*[^\->:\n,;]+?)*?)(?=(\s+as\s)|[#\n;]|$)/.exec(rest);
        if (!id) throw new Error(`no participant name in '${rest}'`);
        tokens.push({ type: 'ACTOR', text: id[1]!.trim() });
        rest = rest.slice(id[0].length);
        const alias = /^\s+as\s+/.exec(rest);
        if (alias) {
          rest = rest.slice(alias[0].length);
          const restOfLine = /^(?:[:]?(?:no)?wrap:)?[^#\n;]*/.exec(rest)![0];
          tokens.push({ type: 'AS', text: 'as' }, { type: 'restOfLine', text: restOfLine });
          rest = rest.slice(restOfLine.length);
        }
        if (rest.trim() !== '') throw new Error(`text after the participant: '${rest}'`);
        return tokens;
      }
      if (['box', 'loop', 'rect', 'opt', 'alt', 'else', 'par', 'par_over', 'and', 'critical', 'option', 'break'].includes(keyword[1])) throw new Error(`keyword '${keyword[0]}' where the subset has none`);
      continue;
    }
    const later = LATER_KEYWORDS.find(([k]) => rest.toLowerCase().startsWith(k));
    if (later) {
      rest = rest.slice(later[0].length);
      tokens.push({ type: later[1], text: later[0] });
      continue;
    }
    if ((m = /^title\s[^#\n;]+/i.exec(rest))) {
      tokens.push({ type: 'title', text: m[0].slice(6) });
      rest = rest.slice(m[0].length);
      continue;
    }
    const late = LATE_WORDS.find(([w]) => rest.toLowerCase().startsWith(w));
    if (late) {
      tokens.push({ type: late[1], text: rest.slice(0, late[0].length) });
      rest = rest.slice(late[0].length);
      continue;
    }
    if (rest.startsWith(',')) {
      tokens.push({ type: ',', text: ',' });
      rest = rest.slice(1);
      continue;
    }
    if (rest.startsWith(';')) throw new Error("a raw ';' ends the statement");
    if ((m = ACTOR.exec(rest))) {
      tokens.push({ type: 'ACTOR', text: m[0].trim() });
      rest = rest.slice(m[0].length);
      continue;
    }
    const arrow = ARROWS.find(([a]) => rest.startsWith(a));
    if (arrow) {
      tokens.push({ type: arrow[1], text: arrow[0] });
      rest = rest.slice(arrow[0].length);
      continue;
    }
    const point = POINTS.find(([re]) => re.test(rest));
    if (point) {
      const text = point[0].exec(rest)![0];
      tokens.push({ type: point[1], text });
      rest = rest.slice(text.length);
      continue;
    }
    if ((m = /^:(?:(?:no)?wrap:)?[^#\n;]+/.exec(rest))) {
      tokens.push({ type: 'TXT', text: m[0] });
      rest = rest.slice(m[0].length);
      continue;
    }
    throw new Error(`INVALID token at '${rest}'`);
  }
  return tokens;
}

export function parseMermaidSequence(source: string): MermaidSequence {
  const lines = encodeEntities(source).split('\n');
  const participants: { id: string; alias?: string }[] = [];
  const messages: { from: string; arrow: string; to: string; text: string }[] = [];
  const notes: { over: string[]; text: string }[] = [];
  let title: string | undefined;
  let started = false;
  const declared = (id: string, n: number): string => {
    if (!participants.some((p) => p.id === id)) throw new Error(`line ${n}: '${id}' is not a declared participant`);
    return id;
  };
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    let tokens: Token[];
    try {
      tokens = lexLine(line);
    } catch (error) {
      throw new Error(`line ${n}: ${(error as Error).message}: ${decodeEntities(line)}`);
    }
    const types = tokens.map((t) => t.type).join(' ');
    const text = (t: Token): string => decodeEntities(t.text.replace(/^:/, '').trim());
    if (!started) {
      if (types !== 'SD') throw new Error(`line ${n}: the diagram must start with 'sequenceDiagram', not '${line}'`);
      started = true;
    } else if (types === 'title') title = decodeEntities(tokens[0]!.text.trim());
    else if (types === 'participant ACTOR') participants.push({ id: tokens[1]!.text });
    else if (types === 'participant ACTOR AS restOfLine') participants.push({ id: tokens[1]!.text, alias: decodeEntities(tokens[3]!.text.trim()) });
    else if (/^ACTOR (SOLID_ARROW|SOLID_CROSS|SOLID_POINT) ACTOR TXT$/.test(types)) {
      messages.push({ from: declared(tokens[0]!.text, n), arrow: tokens[1]!.text, to: declared(tokens[2]!.text, n), text: text(tokens[3]!) });
    } else if (types === 'note over ACTOR TXT') notes.push({ over: [declared(tokens[2]!.text, n)], text: text(tokens[3]!) });
    else if (types === 'note over ACTOR , ACTOR TXT') notes.push({ over: [declared(tokens[2]!.text, n), declared(tokens[4]!.text, n)], text: text(tokens[5]!) });
    else throw new Error(`line ${n}: '${types}' is no statement of the subset: ${decodeEntities(line)}`);
  });
  if (!started) throw new Error('empty diagram');
  return { ...(title !== undefined ? { title } : {}), participants, messages, notes };
}
