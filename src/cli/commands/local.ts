/** `bqmigrate local load <dataset.table> <file>` and `bqmigrate local seed`: fill the embedded local warehouse. */
import * as path from 'node:path';
import { parseTableId } from '../../core/warehouse/identifiers';
import type { LocalWarehouse } from '../../core/warehouse/local';
import { seedSampleWarehouse } from '../../core/warehouse/sample';
import { formatRows, loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const localCommand: CliCommand = {
  name: 'local',
  summary: 'load a CSV/Parquet file or the bundled sample into the embedded local warehouse',
  usage: `usage: bqmigrate local load <dataset.table> <file.csv|file.parquet> [--manifest F]
       bqmigrate local seed [--manifest F]

The local warehouse is DuckDB in <manifest dir>/.bqmigrate/local.duckdb; datasets are schemas.
  load   creates or replaces the table from the file (types inferred; CSV needs a header line)
  seed   (re)creates the bundled sample legacy warehouse, generated deterministically: the five
         models_v4.production_training_data_{1w,1m,3m,6m,12m} tables, the five regime tables,
         forecasting_data_warehouse raw tables and a view, an empty table, and a table name that
         exists in two datasets. Other objects are left alone.
  --manifest F   the manifest (default: bqmigrate.json found from the current folder up)`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, {}, true);
    const [action, ...rest] = parsed.positionals;
    if (parsed.backend !== 'local') throw new UsageError('`bqmigrate local` works on the local warehouse only');
    if (action !== 'load' && action !== 'seed') throw new UsageError(`expected "load" or "seed", got ${action === undefined ? 'nothing' : `"${action}"`}`);
    if (action === 'load' && rest.length !== 2) throw new UsageError('usage: bqmigrate local load <dataset.table> <file.csv|file.parquet>');
    if (action === 'seed' && rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    let wh: LocalWarehouse | undefined;
    try {
      const id = action === 'load' ? parseTableId(rest[0]!) : undefined;
      wh = (await openWarehouseFor(loaded, parsed, io, `local-${action}`)) as LocalWarehouse;
      if (id) {
        const file = path.resolve(io.cwd, rest[1]!);
        const r = await wh.loadFile(id, file);
        io.stdout.write(`loaded ${r.rows} rows from ${path.relative(io.cwd, file) || file} into ${id.dataset}.${id.table}\n`);
      } else {
        const objects = await seedSampleWarehouse(wh, loaded.manifest.location);
        io.stdout.write(formatRows(objects.map((o) => ({ object: `${o.dataset}.${o.table}`, type: o.type, rows: o.rows ?? '' }))));
        io.stdout.write(`\nseeded ${objects.length} objects into ${path.relative(io.cwd, wh.options.file) || wh.options.file}\n`);
      }
      return 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'local');
    } finally {
      await wh?.close();
    }
  },
};
