import type { Mix, PropertyValue, ProtocolNode } from '../protocols/protocol';
import { mixValue } from '../protocols/values';

/**
 * Feeds the state of one node's protocols to `mix` (exploration coverage):
 * each protocol's own `fingerprint`, else the values of its `inspect()` in
 * key order (the same keys every time for a protocol), each by `mixValue`.
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
  for (const key in props) mixValue(props[key]!, mix);
}
