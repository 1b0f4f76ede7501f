/**
 * The keys under which written protocols count their handlers and timers in
 * a recorded run (sim/tallies.ts), shared by the runtime that counts and the
 * editor's hovers that read them. A handler is named by where it starts in
 * the file (unique: handlers never overlap), a timer by its protocol and name.
 */
export const tallyKeys = {
  handlerRan: (handlerStart: number): string => `ran@${handlerStart}`,
  guardFalse: (handlerStart: number): string => `guard-false@${handlerStart}`,
  constValue: (constStart: number): string => `const@${constStart}`,
  timer: (what: 'set' | 'fired' | 'cancelled', protocol: string, timer: string): string => `timer-${what} ${protocol}.${timer}`,
};
