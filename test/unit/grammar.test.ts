import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { KEYWORD_NAMES } from '../../server/src/core/syntax/lexer';
import { PROTOCOL_CONTEXT_WORDS } from '../../server/src/core/syntax/protocolParser';

const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const grammar = JSON.parse(fs.readFileSync(path.join(root, 'grammar', 'dsync.tmLanguage.json'), 'utf8')) as {
  repository: { keywords: { patterns: { match: string }[] }; 'protocol-words': { patterns: { match: string }[] } };
};

/** The words of every `\b(a|b|c)\b` pattern of a word list of the TextMate grammar. */
function grammarKeywords(list: 'keywords' | 'protocol-words' = 'keywords'): string[] {
  return grammar.repository[list].patterns.flatMap((p) => {
    const m = /^\\b\(([\w|]+)\)\\b$/.exec(p.match);
    assert.ok(m, `keyword pattern is not a plain word list: ${p.match}`);
    return m[1]!.split('|');
  });
}

describe('TextMate grammar', () => {
  test('highlights exactly the lexer keywords', () => {
    const words = grammarKeywords();
    assert.equal(new Set(words).size, words.length, 'a keyword is listed twice in the grammar');
    const missing = KEYWORD_NAMES.filter((k) => !words.includes(k));
    const extra = words.filter((w) => !(KEYWORD_NAMES as readonly string[]).includes(w));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'update grammar/dsync.tmLanguage.json to match KEYWORD_NAMES in lexer.ts');
  });

  test('highlights the contextual words of protocol bodies, which are no keywords', () => {
    const words = grammarKeywords('protocol-words');
    assert.deepEqual([...words].sort(), [...PROTOCOL_CONTEXT_WORDS].sort(), 'update the protocol-words of grammar/dsync.tmLanguage.json to match PROTOCOL_CONTEXT_WORDS in protocolParser.ts');
    assert.deepEqual(words.filter((w) => (KEYWORD_NAMES as readonly string[]).includes(w)), [], 'a contextual word is also a keyword');
  });

  test('package.json contributes the grammar, language configuration and snippets that exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { grammars: { path: string }[]; languages: { configuration: string; extensions: string[] }[]; snippets: { path: string }[] };
    };
    for (const p of [pkg.contributes.grammars[0]!.path, pkg.contributes.languages[0]!.configuration, pkg.contributes.snippets[0]!.path]) {
      assert.ok(fs.existsSync(path.join(root, p)), `${p} is contributed but missing`);
      JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
    }
    assert.deepEqual(pkg.contributes.languages[0]!.extensions, ['.dsync']);
  });
});
