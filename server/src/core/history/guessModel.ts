import type { ModelName } from './models';

/**
 * The model a history most likely needs, from its operation names alone (no
 * parse: the editor offers it first before the check):
 * compare-and-set means cas-register, append means append-kv, keyed gets and
 * puts mean kv, anything else a register.
 */
export function guessModel(text: string): ModelName {
  if (/(?::f\s+:cas\b|\s:cas\s|"(?:f|kind)"\s*:\s*"cas")/.test(text)) return 'cas-register';
  if (/(?::f\s+:append\b|"(?:f|kind)"\s*:\s*"append")/.test(text)) return 'append-kv';
  if (/(?::f\s+:(?:put|get)\b|"(?:f|kind|op)"\s*:\s*"(?:put|get)")/.test(text)) return 'kv';
  return 'register';
}
