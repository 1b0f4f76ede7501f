import type { Mix, PropertyValue, ProtocolNode } from '../protocols/protocol';

/**
 * Feeds the state of one node's protocols to `mix` (exploration coverage):
 * each protocol's own `fingerprint`, else the values of its `inspect()` in
 * key order (the same keys every time for a protocol): numbers by their
 * two 32-bit halves, booleans as two marker values, strings by character.
 */
export function fingerprintProtocols(protocols: readonly (ProtocolNode | undefined)[], mix: Mix): void {
  for (let i = 0; i < protocols.length; i++) {
    const p = protocols[i];
    if (!p) continue;
    mix(0x70000 + i);
    if (p.fingerprint) p.fingerprint(mix);
    else mixProperties(p.inspect(), mix);
  }
}

function mixProperties(props: Readonly<Record<string, PropertyValue>>, mix: Mix): void {
  for (const key in props) {
    const v = props[key];
    if (typeof v === 'number') {
      mix(v | 0);
      mix((v / 4294967296) | 0);
    } else if (typeof v === 'boolean') {
      mix(v ? 0x51 : 0x50);
    } else {
      const text = String(v);
      for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
      mix(0x2c);
    }
  }
}
