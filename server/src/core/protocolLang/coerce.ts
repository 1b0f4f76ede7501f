import type { Checked } from '../expr/checked';
import type { Type } from '../expr/types';

/**
 * A checked value made to fit where it is stored, once `assignable` said it
 * may: `{}` is an empty set to the expression language (its element type
 * unknown), so stored where a map is declared it becomes the empty map.
 */
export function coerce(c: Checked, to: Type): Checked {
  const target = to.k === 'optional' ? to.of : to;
  if (target.k === 'map' && c.type.k === 'set') return { op: 'const', value: {}, type: target, range: c.range };
  return c;
}
