/** Shapes shared by planning, running, the journal and status. Pure types: no I/O here. */
import type { LoadedManifest } from '../manifest/load';
import type { MappingStatusName } from '../manifest/statuses';
import type { Definition, ScheduledQuery, TableId, TableInfo, Warehouse } from '../warehouse/types';

/** One legacy table resolved against the warehouse: where it goes and where its archive copy lives. */
export interface ConcreteMapping {
  mappingIndex: number;
  /** Concrete legacy `dataset.table`. */
  from: string;
  /** Concrete new `dataset.table`. */
  to: string;
  legacy: TableId;
  target: TableId;
  archive: TableId;
  /** SQL file (relative to the manifest) that builds the target instead of copying the legacy table. */
  sql?: string;
  /** The placeholder values that produced this pair, e.g. { horizon: '1m' }; a templated family shares its mappingIndex. */
  values: Record<string, string>;
  /** Whether the legacy name exists in the warehouse snapshot (as a table or as a shim view). */
  legacyExists: boolean;
}

/** What the plan knows about the warehouse: existing datasets and objects, read once before planning. */
export interface WarehouseSnapshot {
  datasets: string[];
  /** `dataset.table` → object type ('TABLE', 'VIEW', …). */
  objects: Record<string, string>;
  /** `dataset.table` → what the warehouse said about it (schema, partitioning, clustering, options, size); absent in hand-made snapshots. */
  tables?: Record<string, TableInfo>;
  /** Read only when a phase has a repoint-definitions step: every definition and, when files name them, scheduled queries. */
  definitions?: DefinitionsSnapshot;
}

export interface DefinitionsSnapshot {
  objects: Definition[];
  scheduled: ScheduledQuery[];
  /** Why scheduled queries could not be read, when they could not. */
  scheduledError?: string;
}

export interface ActionContext {
  wh: Warehouse;
  loaded: LoadedManifest;
  runId: string;
  phase: string;
  step: string;
  signal?: AbortSignal;
  /** Appends a journal event for this action (row counts, job ids, notes). */
  note(details: Record<string, unknown>): void;
  /** Journal events so far (all runs): safety checks consult earlier verified counts. */
  history(): readonly JournalEvent[];
  /** Output of `command` steps and other progress lines. */
  log(line: string): void;
  /** Runs a shell command; the CLI spawns a child process, the editor a VS Code task. */
  runCommand(command: string, cwd: string, signal?: AbortSignal): Promise<{ exitCode: number; output: string }>;
}

export interface ActionOutcome {
  /** true when verified work from an earlier run was found and nothing was changed. */
  skipped?: boolean;
  rows?: number;
  bytes?: number;
  jobIds?: string[];
  detail?: string;
}

/** The smallest unit of work: its exact SQL is shown by `plan` and run by `run`. */
export interface PlannedAction {
  /** Stable across runs (the journal keys resume on it), e.g. "archive:models_v4.production_training_data_1m". */
  id: string;
  title: string;
  /** The statements this action runs, in order, in the warehouse's dialect (checks and DDL). */
  sql: string[];
  /** Drops or replaces something that exists. */
  destructive: boolean;
  /** Legacy table this action touches, for status updates. */
  mapping?: ConcreteMapping;
  /** Column mappings (indices in `mappings`) of that table: their statuses move with the table's. */
  columnMappings?: number[];
  /** A unified diff of what the action changes (repoint-definitions: the warehouse's definition → the file's). */
  diff?: string;
  /**
   * Work the action does besides `sql` that costs money (validate's content comparisons): a query
   * to dry-run, or, when it cannot be yet (its tables do not exist), an estimate of the bytes.
   */
  estimates?: { what: string; sql?: string; bytes?: number }[];
  execute(ctx: ActionContext): Promise<ActionOutcome>;
}

export interface PlannedStep {
  phase: string;
  /** Stable id: the step's `id`, else `<run|sql|command>-<index>`. */
  id: string;
  kind: string;
  title: string;
  destructive: boolean;
  actions: PlannedAction[];
  /** Planning notes: skipped mappings, missing tables, limits. */
  notes: string[];
  /** What this step cannot do (a rollback with no archive copy to restore from): the run refuses unless told `partial`. */
  blockers?: string[];
  /** Manifest mapping indices the blockers are about: their statuses stay as they are. */
  blockedMappings?: number[];
  /** Runs its actions one at a time (sql scripts, commands) instead of concurrently. */
  sequential?: boolean;
  /** Mapping status to write once every action of a mapping succeeded. */
  marks?: { status: MappingStatusName; shimmedOn?: boolean | 'clear' };
}

export interface PhasePlan {
  phase: string;
  title: string;
  steps: PlannedStep[];
}

export type JournalEventKind =
  | 'run-start'
  | 'run-end'
  | 'step-start'
  | 'step-end'
  | 'step-error'
  | 'action-start'
  | 'action-end'
  | 'action-error'
  | 'action-note'
  | 'rollback-start'
  | 'rollback-end'
  /** Sets unusable journal lines aside (details.lines), without rewriting them: a torn line sealed by the next writer, or `--abandon-run line:N`. */
  | 'journal-repair'
  /** `--reconcile`: the objects the journal recorded that the warehouse lacks, forgotten from here on (details.forgotten). */
  | 'reconcile'
  | 'unlock';

export interface JournalEvent {
  /** Unique per event, written with it: the warehouse history keys on it, so an upload retried or repeated never duplicates it. */
  id?: string;
  ts: string;
  runId: string;
  phase?: string;
  step?: string;
  action?: string;
  event: JournalEventKind;
  jobIds?: string[];
  rows?: number;
  bytes?: number;
  error?: string;
  details?: Record<string, unknown>;
}

export type PhaseState = 'not-started' | 'in-progress' | 'complete' | 'failed';

export interface StepStatus {
  id: string;
  state: PhaseState;
  start?: string;
  end?: string;
  error?: string;
}

export interface PhaseStatus {
  id: string;
  title: string;
  state: PhaseState;
  start?: string;
  end?: string;
  runId?: string;
  rolledBackAt?: string;
  steps: StepStatus[];
  /** Objects this phase made that the warehouse no longer holds as made (filled by `status`, which reads the warehouse). */
  drift?: string[];
}

export interface ValidationCheck {
  id: string;
  family?: string;
  /** The table (or check) the row is about, e.g. "training.zl_training_prod_allhistory_1m". */
  subject?: string;
  description: string;
  legacy?: string | number;
  new?: string | number;
  pass: boolean;
  /** Not applicable on this backend (e.g. BigQuery-only metadata on the local warehouse); counts neither as passed nor failed. */
  skipped?: boolean;
  detail: string;
  /** The content check's result in detail (the dashboard's content table). */
  content?: ContentResult;
}

/** What a content check found: the verdict, each tier, how types were normalised, a few differing rows. */
export interface ContentResult {
  verdict: 'equal' | 'different' | 'not-validated';
  a: string;
  b: string;
  rowsA: number | null;
  rowsB: number | null;
  /** Differing keys (or distinct rows); null when tier 3 did not run. */
  differing: number | null;
  key?: string[];
  tiers: { tier: number; name: string; status: string; detail: string }[];
  normalisations: string[];
  /** A few of the differences, one line each. */
  sample: string[];
  bytes: number;
}

export interface ValidationReport {
  ts: string;
  backend: 'local' | 'bigquery';
  checks: ValidationCheck[];
  passed: number;
  failed: number;
  skipped?: number;
  /** Set when no check passed or failed: why nothing was validated (the report is then a failure). */
  nothingValidated?: string;
}
