/** WH's inventory, check-access and export (src/core/inventory) as phase steps. Filled in when that module lands. */
import type { BuiltinStep } from './common';

export const warehouseToolSteps: BuiltinStep[] = [];
