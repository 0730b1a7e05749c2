/**
 * The `ledger` check family: one check per object the journal says bqmigrate made and nothing
 * undid (datasets, archive copies, new tables, shim views, restored legacy tables — see
 * ledger.ts). Missing, of another type, or an archive copy that no longer holds the rows it
 * was verified with: FAIL, naming the object and the step that made it. These checks come from
 * what should exist, so a dropped object cannot make its checks disappear.
 */
import type { Warehouse } from '../../warehouse/types';
import { describeExpected, findDrift, madeBy, type Ledger } from '../ledger';
import type { ValidationCheck } from '../types';

export async function ledgerChecks(wh: Warehouse, ledger: Ledger): Promise<ValidationCheck[]> {
  const drift = new Map((await findDrift(wh, ledger)).map((d) => [d.expected, d]));
  return [...ledger.values()].map((o) => {
    const d = drift.get(o);
    const description = `${describeExpected(o).replace(/ \S+$/, '')} made by ${o.phase}/${o.step} exists${o.type ? ` as a ${o.type.toLowerCase()}` : ''}${o.rows !== undefined ? ` with ${o.rows} rows` : ''}`;
    return {
      id: `made:${o.name}`,
      subject: o.name,
      description,
      ...(o.rows !== undefined ? { legacy: o.rows } : {}),
      pass: !d,
      detail: d ? d.detail : `present (${madeBy(o)})`,
    };
  });
}
