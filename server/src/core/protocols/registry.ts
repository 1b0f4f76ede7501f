import type { ProtocolDefinition } from './protocol';

/** Every protocol the simulator knows, by name. One file each; add new ones here. */
export const PROTOCOLS: readonly ProtocolDefinition[] = [];
