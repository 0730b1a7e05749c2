/**
 * The migration manifest (`bqmigrate.json`): the single source of truth for its
 * shape. The JSON Schema shipped for editor completion is generated from this
 * file (see json-schema.ts), so a field is declared once, here.
 */
import * as z from 'zod';
import { columnSources } from './mapping-kinds';
import { SEVERITIES } from './severities';
import { MAPPING_STATUSES } from './statuses';

export { columnSources, isColumnMapping, isTableOrPathMapping, tableAndPathMappings, tableMappingAt } from './mapping-kinds';

/** BigQuery dataset ids: letters, digits, underscores; at most 1024 characters. */
export const DATASET_ID = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
/** Table ids as the manifest writes them; BigQuery allows more, the migration does not need it. */
export const TABLE_ID = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
/** GCP project ids: 6–30 lowercase letters, digits, hyphens (legacy domain-scoped ids allowed). */
export const PROJECT_ID = /^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A template: identifier fragments and `{name}` placeholders. */
export const TEMPLATE = /^(?:[A-Za-z0-9_]|\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

export { SEVERITIES };
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export { MAPPING_STATUSES };
export const MappingStatus = z.enum(MAPPING_STATUSES);
export type MappingStatus = z.infer<typeof MappingStatus>;

const templateString = (what: string) =>
  z.string().regex(TEMPLATE, {
    message: `${what} must be identifier characters [A-Za-z0-9_] and {name} placeholders, e.g. "production_training_data_{horizon}"`,
  });

/** `dataset.table` where each part is a template. */
export const TableTemplate = z
  .string()
  .regex(/^(?:[A-Za-z0-9_]|\{[A-Za-z_][A-Za-z0-9_]*\})+\.(?:[A-Za-z0-9_]|\{[A-Za-z_][A-Za-z0-9_]*\})+$/, {
    message: 'expected "dataset.table" made of [A-Za-z0-9_] and {name} placeholders, e.g. "models_v4.production_training_data_{horizon}"',
  });

export const InventoryFacts = z
  .object({
    type: z.string().optional(),
    rows: z.number().int().nonnegative().nullable().optional(),
    created: z.string().optional(),
    modified: z.string().optional(),
    location: z.string().optional(),
    partitioning: z.string().optional(),
    clustering: z.string().optional(),
  })
  .strict();

/** What the new table's metadata should be where it differs from the legacy table's (otherwise everything is carried over). */
export const TargetMetadata = z
  .object({
    /** `DAY(date)`, `MONTH(ts)`, `RANGE(col, start, end, interval)`, or null for none. A change makes create-targets build with SQL. */
    partitioning: z.string().regex(/^\s*(HOUR|DAY|MONTH|YEAR|RANGE)\s*\(/i, { message: 'partitioning is like "DAY(date)", "MONTH(ts)" or "RANGE(col, 0, 100, 10)", or null' }).nullable().optional(),
    clustering: z.array(z.string()).max(4).nullable().optional(),
    description: z.string().optional(),
    friendlyName: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    requirePartitionFilter: z.boolean().optional(),
  })
  .strict();
export type TargetMetadata = z.infer<typeof TargetMetadata>;

export const Mapping = z
  .object({
    /** Legacy name: `dataset.table` for tables, a file-name token for `kind: "path"`. */
    from: z.string().min(1),
    /** New name; absent means the object is not mapped yet. */
    to: z.string().min(1).optional(),
    kind: z.enum(['table', 'path']).default('table'),
    status: MappingStatus.default('planned'),
    note: z.string().optional(),
    /** SQL file (relative to the manifest) that builds the target instead of copying the legacy table. */
    sql: z.string().optional(),
    /** Day the shim view replaced the legacy table (YYYY-MM-DD); starts the grace period. */
    shimmedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'shimmedOn is a date, YYYY-MM-DD' }).optional(),
    /** Facts recorded by `import-inventory` / `inventory --merge`. */
    inventory: InventoryFacts.optional(),
    /** The new table's metadata where it should differ from the legacy table's. */
    metadata: TargetMetadata.optional(),
    /** Columns that identify a row (e.g. ["date"]): the content check compares rows by key; without one, as multisets. */
    key: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.kind === 'table') {
      const check = (value: string, key: 'from' | 'to') => {
        const r = TableTemplate.safeParse(value);
        if (!r.success) ctx.addIssue({ code: 'custom', path: [key], message: r.error.issues[0]!.message });
      };
      check(m.from, 'from');
      if (m.to !== undefined) check(m.to, 'to');
    } else {
      const token = /^[A-Za-z0-9_.{}\/-]+$/;
      if (!token.test(m.from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a path mapping must be a file-name token without spaces, e.g. "production_training_data_{horizon}.parquet"' });
      if (m.to !== undefined && !token.test(m.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a path mapping must be a file-name token without spaces' });
    }
  });
export type Mapping = z.infer<typeof Mapping>;

/** Column ids: BigQuery allows 300 characters; the migration keeps to identifier characters. */
export const COLUMN_ID = /^[A-Za-z_][A-Za-z0-9_]{0,299}$/;
const columnId = z.string().regex(COLUMN_ID, { message: 'a column name is letters, digits and underscores, not starting with a digit, e.g. "sentiment_score_mean"' });

/** How the values of a many-to-one column mapping combine into the canonical column. */
export const COMBINE_RULES = ['coalesce', 'sql'] as const;

/**
 * A column of a table renamed (one-to-one) or several columns consolidated into one (many-to-one).
 * `table` names the table as a table mapping's `from` or `to` does (templates allowed); on a legacy
 * table the mapping also applies to the table that legacy table is mapped to.
 */
export const ColumnMapping = z
  .object({
    kind: z.literal('column').describe('A column mapping: renames a column of `table`, or consolidates several into one.'),
    table: TableTemplate.describe('The table whose column this is: `dataset.table`, templated like a table mapping (e.g. "training.zl_training_prod_allhistory_{horizon}"). On a legacy table it also covers the table that one is mapped to.'),
    from: z
      .union([columnId, z.array(columnId).min(1)])
      .describe('The legacy column, or the list of columns consolidated into `to` (their order is the `coalesce` order).'),
    to: columnId.describe('The canonical column name.'),
    combine: z.enum(COMBINE_RULES).optional().describe('How several `from` columns combine: "coalesce" takes the first non-null in the listed order; "sql" computes `expression`. Required when `from` lists more than one column.'),
    expression: z.string().min(1).optional().describe('With combine "sql": a BigQuery SQL expression over the `from` columns that computes the canonical value, e.g. "(a + b) / 2".'),
    status: MappingStatus.default('planned').describe('Where the column is in the migration; a fix rewrites references whatever the status.'),
    note: z.string().optional().describe('Free text for the people doing the migration.'),
  })
  .strict()
  .superRefine((m, ctx) => {
    const sources = columnSources(m);
    if (new Set(sources.map((s) => s.toLowerCase())).size !== sources.length) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a column is listed twice in "from"' });
    if (sources.length > 1 && m.combine === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: `${sources.length} columns consolidated into "${m.to}" need "combine": "coalesce" (first non-null in the listed order) or "sql" with an "expression"` });
    if (m.combine === 'sql' && m.expression === undefined) ctx.addIssue({ code: 'custom', path: ['combine'], message: 'combine "sql" needs an "expression", e.g. "(a + b) / 2"' });
    if (m.expression !== undefined && m.combine !== 'sql') ctx.addIssue({ code: 'custom', path: ['expression'], message: '"expression" is used only with "combine": "sql"' });
  });
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** One entry of `mappings`: a table or path mapping (kind defaults to "table") or a column mapping. */
export const ManifestMapping = z.discriminatedUnion('kind', [Mapping, ColumnMapping]);
export type ManifestMapping = z.infer<typeof ManifestMapping>;

export const SegmentRule = z.union([
  z.array(z.string().min(1)).min(1),
  z.object({ regex: z.string().min(1), description: z.string().optional() }).strict(),
]);
export type SegmentRule = z.infer<typeof SegmentRule>;

export const NamingConvention = z
  .object({
    /** Segment pattern, e.g. "{asset}_{function}_{scope}_{regime}_{horizon}". */
    pattern: z.string().regex(/^(?:[A-Za-z0-9_]|\{[A-Za-z_][A-Za-z0-9_]*\})+$/, {
      message: 'a naming pattern is literal [A-Za-z0-9_] text and {segment} placeholders',
    }),
    /** Allowed values or a regex per segment; a segment not listed here falls back to `variables`, then to any identifier fragment. */
    segments: z.record(z.string(), SegmentRule).default({}),
    /** Names in this dataset that are outside the convention on purpose. */
    exempt: z.array(z.string()).default([]),
    description: z.string().optional(),
  })
  .strict();
export type NamingConvention = z.infer<typeof NamingConvention>;

export const DatasetEntry = z
  .object({
    description: z.string(),
    location: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const ArchiveSettings = z
  .object({
    dataset: z.string().regex(DATASET_ID).default('archive'),
    name: templateString('archive.name').default('legacy_{date}__{dataset}__{table}'),
    date: z.string().regex(/^\d{8}$/, { message: 'archive.date is YYYYMMDD, e.g. "20251114"' }).optional(),
    migrationVersion: z.string().optional(),
  })
  .strict();

export const ShimSettings = z
  .object({
    graceDays: z.number().int().positive().default(30),
    /** Days without reads (`bqmigrate readers`: INFORMATION_SCHEMA.JOBS on BigQuery, the job log locally) before drop-shims may drop a shim; also readers' default window. */
    quietDays: z.number().int().nonnegative().default(7),
  })
  .strict();

/** Where the shared run history lives in the warehouse (`<project>.<dataset>.history`, `.lock`). */
export const HistorySettings = z
  .object({
    /** The dataset bqmigrate keeps its history and lock tables in; never a legacy or unknown dataset. */
    dataset: z.string().regex(DATASET_ID).default('_bqmigrate'),
  })
  .strict();

/** The run lock in the history dataset. */
export const LockSettings = z
  .object({
    /** A lock whose heartbeat is older than this many minutes may be taken with `bqmigrate unlock --run ID`. */
    staleMinutes: z.number().positive().default(30),
  })
  .strict();

export const SqlCheck = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    description: z.string().optional(),
    /** BigQuery SQL that must return zero rows. */
    sql: z.string().min(1),
  })
  .strict();

export const DefinitionsSettings = z
  .object({
    /** Folder, relative to the manifest, that `definitions pull` writes and the repoint-definitions step reads. */
    dir: z.string().min(1).default('warehouse'),
  })
  .strict();

/** A phase step; validated in depth by src/core/phases. */
export const PhaseStep = z
  .object({
    run: z.string().min(1).optional(),
    sql: z.string().min(1).optional(),
    command: z.string().min(1).optional(),
    id: z.string().optional(),
    title: z.string().optional(),
  })
  .catchall(z.unknown())
  .superRefine((s, ctx) => {
    const kinds = ['run', 'sql', 'command'].filter((k) => s[k as 'run'] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'a step has exactly one of "run" (a built-in step), "sql" (a SQL file) or "command" (a shell command)' });
    }
  });

export const Phase = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'a phase id is lowercase letters, digits, "-" and "_"' }),
    title: z.string(),
    steps: z.array(PhaseStep),
    dependsOn: z.array(z.string()).optional(),
  })
  .strict();

/** On-demand query pricing, for the cost `plan` shows. */
export const Pricing = z
  .object({
    /** US dollars per TiB billed. Default: the on-demand list price of the US and EU multi-regions (see DEFAULT_ON_DEMAND_USD_PER_TIB). */
    onDemandUsdPerTiB: z.number().nonnegative().optional(),
  })
  .strict();

export const Budget = z
  .object({
    /** A run whose plan would bill more than this many bytes refuses to start (unless --over-budget). */
    maxBytesBilled: z.number().int().positive(),
  })
  .strict();

export const ValidationSettings = z
  .object({
    /** Compare content (fingerprints, then differing rows) for every legacy/archive → new pair. */
    content: z.boolean().default(true),
    /** FLOAT64 values (and NUMERIC compared with FLOAT64) that differ by at most this much are equal. */
    tolerance: z.number().nonnegative().default(1e-9),
    /** Differing rows reported per pair. */
    limit: z.number().int().positive().default(20),
  })
  .strict();

export const RULE_IDS = ['legacy-column', 'legacy-reference', 'naming-convention', 'unknown-dataset', 'archived-reference', 'shim-reference'] as const;

export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    project: z.string().regex(PROJECT_ID, { message: 'a GCP project id: 6–30 lowercase letters, digits and hyphens, e.g. "cbi-v14"' }),
    location: z.string().default('US'),
    datasets: z.record(z.string().regex(DATASET_ID), DatasetEntry),
    /** Legacy datasets that are known (so not "unknown") but not approved. Those named in mappings count too. */
    legacyDatasets: z.record(z.string().regex(DATASET_ID), DatasetEntry).default({}),
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).min(1)).default({}),
    mappings: z.array(ManifestMapping).default([]),
    naming: z.record(z.string(), NamingConvention).default({}),
    rules: z.partialRecord(z.enum(RULE_IDS), Severity).default({}),
    include: z.array(z.string()).default(['**/*']),
    exclude: z.array(z.string()).default([]),
    archive: ArchiveSettings.default({ dataset: 'archive', name: 'legacy_{date}__{dataset}__{table}' }),
    shims: ShimSettings.default({ graceDays: 30, quietDays: 7 }),
    checks: z.array(SqlCheck).default([]),
    phases: z.array(Phase).default([]),
    /** Warehouse definitions (views, routines, scheduled queries) pulled into files. */
    definitions: DefinitionsSettings.default({ dir: 'warehouse' }),
    pricing: Pricing.default({}),
    budget: Budget.optional(),
    validation: ValidationSettings.default({ content: true, tolerance: 1e-9, limit: 20 }),
    history: HistorySettings.default({ dataset: '_bqmigrate' }),
    lock: LockSettings.default({ staleMinutes: 30 }),
  })
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;
