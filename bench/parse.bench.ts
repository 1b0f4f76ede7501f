/**
 * Parse throughput on a generated ~1 MB scenario: parse() alone (lexer,
 * parser, CST → AST) and parse + check (the whole front end the editor runs
 * on every keystroke). Target: ≥ 10 MB/s.
 */
import { check } from '../server/src/core/check/checker';
import { hasErrors } from '../server/src/core/diagnostics';
import { parse } from '../server/src/core/syntax/parse';
import { machine, measure, reportRate } from './support/measure';
import { generateScenario } from './support/scenarios';

const TARGET_MB_PER_S = 10;

function main(): void {
  const text = generateScenario(1_000_000);
  const mb = Buffer.byteLength(text, 'utf8') / 1e6;
  const parsed = parse(text);
  const checked = check(parsed, text);
  if (hasErrors(checked.diagnostics)) throw new Error(`generated scenario has errors: ${checked.diagnostics[0]!.message}`);
  console.log(`parse: a generated scenario of ${mb.toFixed(2)} MB, ${text.split('\n').length} lines, ${parsed.ast.statements.length} statements; 10 runs after 3 warm-up runs`);
  const parseOnly = measure(() => parse(text));
  const parseCheck = measure(() => check(parse(text), text));
  console.log(reportRate('parse()', mb, 'MB/s', TARGET_MB_PER_S, parseOnly));
  console.log(reportRate('parse() + check()', mb, 'MB/s', TARGET_MB_PER_S, parseCheck));
  console.log(`  ${machine()}`);
}

if (require.main === module) main();
