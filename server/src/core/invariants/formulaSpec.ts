import type { CheckedWithSource } from '../expr/checked';
import type { Compiled } from '../expr/compile';

/** A written property as the checker hands it to its monitor (formula.ts) and its reports (formulaReports.ts). */
export interface FormulaSpec {
  readonly name: string;
  readonly kind: 'always' | 'never' | 'eventually' | 'whenever';
  readonly body: { readonly checked: CheckedWithSource; readonly compiled: Compiled };
  readonly trigger?: { readonly checked: CheckedWithSource; readonly compiled: Compiled };
  /** `within T` in ns (eventually, whenever). */
  readonly within?: number;
  /** The formula as written, for messages. */
  readonly text: string;
}
