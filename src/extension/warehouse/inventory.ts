/** "Refresh Inventory from Warehouse": waits for WH's runInventory (src/core/inventory) — wired in when it lands. */
import type { ExtensionCtx } from '../context';

export async function refreshInventory(ctx: ExtensionCtx): Promise<never> {
  void ctx;
  throw new Error('the warehouse inventory is not available in this build yet');
}
