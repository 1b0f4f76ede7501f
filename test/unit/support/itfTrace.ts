/**
 * The rules of the Informal Trace Format (Apalache ADR-015, "ITF"), as a
 * validator: no npm package validates ITF (Quint reads it inside its own
 * tool), so the ADR's rules are written out here. It returns the problems
 * found, each with the JSON path where it is; none means a valid trace.
 *
 * - trace: an object with `vars` (array of strings) and `states` (array),
 *   optional `#meta` (object), `params` (array of strings), `loop` (int index
 *   of a state); nothing else;
 * - state: an object with an optional `#meta` object and a value for every
 *   name in `vars` (and `params` in the first state), and nothing else;
 * - expression: a string; a boolean; a JSON integer in [-(2^53)+1, 2^53-1];
 *   `{"#bigint": "-?[0-9]+"}`; a list (array); `{"#tup": [...]}`;
 *   `{"#set": [...]}`; `{"#map": [[key, value], ...]}`;
 *   `{"#unserializable": string}`; a record (an object whose field names do
 *   not start with `#`). No null, no fractions.
 */
export function itfProblems(trace: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!isObject(trace)) return ['$: a trace is a JSON object'];
  for (const key of Object.keys(trace)) if (!['#meta', 'params', 'vars', 'states', 'loop'].includes(key)) problems.push(`$.${key}: not a field of a trace`);
  if ('#meta' in trace && !isObject(trace['#meta'])) problems.push('$.#meta: must be an object');
  if ('params' in trace && !stringArray(trace['params'])) problems.push('$.params: must be an array of strings');
  if (!stringArray(trace['vars'])) problems.push('$.vars: must be an array of strings');
  if (!Array.isArray(trace['states'])) return [...problems, '$.states: must be an array'];
  const states = trace['states'] as unknown[];
  if ('loop' in trace && !(Number.isInteger(trace['loop']) && (trace['loop'] as number) >= 0 && (trace['loop'] as number) < states.length)) problems.push('$.loop: must be the index of a state');
  const vars = stringArray(trace['vars']) ? trace['vars'] : [];
  const params = stringArray(trace['params']) ? trace['params'] : [];
  states.forEach((state, i) => {
    const at = `$.states[${i}]`;
    if (!isObject(state)) {
      problems.push(`${at}: a state is an object`);
      return;
    }
    if ('#meta' in state && !isObject(state['#meta'])) problems.push(`${at}.#meta: must be an object`);
    const names = i === 0 ? [...vars, ...params] : vars;
    for (const name of names) if (!(name in state)) problems.push(`${at}: no value for '${name}'`);
    for (const [key, value] of Object.entries(state)) {
      if (key === '#meta') continue;
      if (!names.includes(key) && !(params.includes(key))) problems.push(`${at}.${key}: not a variable of the trace`);
      else expression(value, `${at}.${key}`, problems);
    }
  });
  return problems;
}

const MAX_SAFE = 2 ** 53 - 1;

function expression(v: unknown, at: string, problems: string[]): void {
  if (typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || Math.abs(v) > MAX_SAFE) problems.push(`${at}: ${v} is no JSON integer in [-(2^53)+1, 2^53-1] (use #bigint)`);
    return;
  }
  if (v === null || typeof v !== 'object') {
    problems.push(`${at}: ${String(v)} is no ITF expression`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => expression(x, `${at}[${i}]`, problems));
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length === 0) {
    for (const k of keys) expression(o[k], `${at}.${k}`, problems);
    return;
  }
  if (keys.length !== 1) {
    problems.push(`${at}: '${special[0]}' must be the object's only field`);
    return;
  }
  const [key] = keys as [string];
  const value = o[key];
  switch (key) {
    case '#bigint':
      if (typeof value !== 'string' || !/^-?[0-9]+$/.test(value)) problems.push(`${at}.#bigint: must be a string of digits, optionally after '-'`);
      return;
    case '#tup':
    case '#set':
      if (!Array.isArray(value)) problems.push(`${at}.${key}: must be an array`);
      else value.forEach((x, i) => expression(x, `${at}.${key}[${i}]`, problems));
      return;
    case '#map':
      if (!Array.isArray(value)) problems.push(`${at}.#map: must be an array`);
      else value.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) problems.push(`${at}.#map[${i}]: must be a [key, value] pair`);
        else pair.forEach((x, j) => expression(x, `${at}.#map[${i}][${j}]`, problems));
      });
      return;
    case '#unserializable':
      if (typeof value !== 'string') problems.push(`${at}.#unserializable: must be a string`);
      return;
    default:
      problems.push(`${at}: '${key}' is no ITF form (a record's field names do not start with '#')`);
  }
}

/** An ITF integer (`{"#bigint": "…"}` or a plain JSON integer) as a bigint; throws on anything else. */
export function itfBigint(v: unknown): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'object' && v !== null && typeof (v as { '#bigint'?: unknown })['#bigint'] === 'string') return BigInt((v as { '#bigint': string })['#bigint']);
  throw new Error(`not an ITF integer: ${JSON.stringify(v)}`);
}
