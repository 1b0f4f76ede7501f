import type { PropertySpec } from './protocols/protocol';

/**
 * Properties every node has, for `expect NODE.property …` and hovers.
 * Protocols add their own (see ProtocolDefinition.properties).
 */
export const NODE_PROPERTIES: readonly (PropertySpec & { readonly arg?: 'label' | 'node' })[] = [
  { name: 'lamport', type: 'int', doc: "the node's Lamport clock" },
  { name: 'vc', type: 'int', doc: "one entry of the node's vector clock: `B.vc(A)`", arg: 'node' },
  { name: 'clock', type: 'time', doc: "the node's local clock reading" },
  { name: 'hlc', type: 'time', doc: "the l part of the node's hybrid logical clock: the largest physical clock reading it has heard of" },
  { name: 'hlc_counter', type: 'int', doc: "the c part of the node's hybrid logical clock: events since its l last changed" },
  { name: 'offset', type: 'time', doc: "the node's clock minus true time" },
  { name: 'alive', type: 'bool', doc: 'whether the node is up (not crashed)' },
  { name: 'sent', type: 'int', doc: 'messages the node sent; `A.sent("ping")` counts one label, a scenario label or a protocol message type (`n1.sent("AppendEntries")`)', arg: 'label' },
  { name: 'received', type: 'int', doc: 'messages the node received; `B.received("ping")` counts one label', arg: 'label' },
  { name: 'crashes', type: 'int', doc: 'how often the node crashed' },
];
