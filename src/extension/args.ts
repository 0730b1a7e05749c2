/** Command arguments more than one feature accepts; imports no feature. */

/** A mapping's index from a Mappings view item (`{ index }`) or a plain number; undefined for anything else. */
export function mappingIndexArg(arg: unknown): number | undefined {
  if (typeof arg === 'number') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { index?: unknown }).index === 'number') return (arg as { index: number }).index;
  return undefined;
}
