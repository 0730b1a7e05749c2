/**
 * What the scanners produce: every BigQuery table reference in a text, with exact ranges. Offsets are
 * UTF-16 code-unit offsets into the scanned text (what JavaScript strings and VS Code documents use),
 * end exclusive. Guarantees every consumer may rely on:
 * - `refs` are sorted by start and never overlap (by `range`).
 * - Every part's range slices to its text (`text.slice(range.start, range.end) === part.text`), inside any
 *   quotes; for `form: 'split'` the dataset part lies outside `range` (see TableRef.form).
 * - Wildcard tables keep the `*` in `table.text` (`production_training_data_*`) and set `wildcard`.
 * - Meta tables: `table` spans `INFORMATION_SCHEMA.TABLES` (or `__TABLES__`); `region-*` qualifiers are skipped.
 * - Placeholders only ever sit in the project or table part; a path whose dataset holds one is not reported.
 * - `legacy-sql` covers `[p:d.t]` and `[d.t]`; `bq-cli` is `p:d.t` (strings, comments, plain text only).
 * - Plain text and prose report context `comment`; shell words and config values `string`.
 */

export interface Span {
  start: number;
  end: number;
}

/** Where the reference stands in its host language. */
export type RefContext = 'code' | 'string' | 'comment';

/**
 * How the reference is spelled; a fix keeps the form.
 * - `bare`            models_v4.t, cbi-v14.models_v4.t (SQL code, plain text, inside strings)
 * - `backtick`        `cbi-v14.models_v4.t`  (one quoted path)
 * - `backtick-parts`  `cbi-v14`.`models_v4`.`t`, `cbi-v14.models_v4`.t  (parts quoted separately)
 * - `legacy-sql`      [cbi-v14:models_v4.t]
 * - `bq-cli`          cbi-v14:models_v4.t
 * - `split`           dataset and table in two fields: `dataset_id = "models_v4"` … `table_id = "t"`,
 *                     `client.dataset("models_v4").table("t")`; `range` is the table field's value, the
 *                     dataset part is elsewhere (before or after it), and a fix edits each part on its own
 */
export type RefForm = 'bare' | 'backtick' | 'backtick-parts' | 'legacy-sql' | 'bq-cli' | 'split';

export interface NamePart {
  /** The name as written, without quotes; host placeholders kept verbatim (e.g. `x_{h}`, `x_${horizon}`). */
  text: string;
  /** Range of `text` (inside any quotes). */
  range: Span;
  /** Host-language placeholders inside this part, in order, with their ranges. */
  placeholders: Placeholder[];
}

export interface Placeholder {
  /** As written: `{h}`, `${horizon}`, `%(horizon)s`, `{PROJECT_ID}`. */
  text: string;
  /** The expression inside, trimmed: `h`, `horizon`, `PROJECT_ID`. */
  expr: string;
  range: Span;
}

export interface TableRef {
  /** The whole reference including quotes/brackets/decorator. */
  range: Span;
  context: RefContext;
  form: RefForm;
  project?: NamePart;
  dataset: NamePart;
  table: NamePart;
  /** `$20230101` partition decorator or `@1700000000` snapshot decorator, as written. */
  decorator?: string;
  /** `events_*` wildcard table. */
  wildcard: boolean;
  /** `INFORMATION_SCHEMA.TABLES` or `__TABLES__`: the `table` part is the meta view (e.g. `dataset.INFORMATION_SCHEMA.COLUMNS` keeps `INFORMATION_SCHEMA.COLUMNS` in table). A reference to the dataset, not to a table. */
  meta?: 'INFORMATION_SCHEMA' | '__TABLES__' | '__TABLES_SUMMARY__';
  /** A routine call or definition (`ds.fn(x)`, `CREATE FUNCTION ds.fn(`): the table part names a function or procedure. */
  routine?: boolean;
  /** The reference sits inside a JSON string (a notebook cell's source): a fix's text must be JSON-escaped. */
  escape?: 'json';
}

/** A non-table token matched by a `kind: "path"` mapping (file names, model directories). */
export interface PathRef {
  range: Span;
  context: RefContext;
  text: string;
}

/** A row of the language table (languages.ts): which lexer reads a file, with which quoting rules. */
export type LanguageId =
  | 'sql'
  | 'python'
  | 'javascript'
  | 'shell'
  | 'markdown'
  | 'yaml'
  | 'json'
  | 'notebook'
  | 'terraform'
  | 'dataform'
  | 'toml'
  | 'ini'
  | 'dockerfile'
  | 'makefile'
  | 'dotenv'
  | 'plain';


export interface ScanOptions {
  /** Lower-cased names that are known datasets (legacy or approved), so bare `a.b` in code or prose is only a reference when `a` is a known dataset. */
  knownDatasets: ReadonlySet<string>;
  /** The manifest's project id: references with another explicit project are someone else's. */
  project?: string;
}

export interface ScanResult {
  refs: TableRef[];
  /** Suppression comments found while lexing. */
  suppressions: SuppressionComment[];
  /** Comment ranges (for suppressions and for context decisions). */
  comments: Span[];
}

export interface SuppressionComment {
  kind: 'disable-next-line' | 'disable-line' | 'disable';
  /** Empty means all rules. */
  rules: string[];
  reason?: string;
  /** 0-based line of the comment. */
  line: number;
  range: Span;
}
