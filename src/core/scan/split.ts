/**
 * References split across fields: the dataset in one field and the table in another
 * (`dataset_id = "models_v4"` … `table_id = "t"`, `client.dataset("models_v4").table("t")`,
 * `DatasetReference(project, "models_v4")`, YAML `dataset:` / `table:` keys). The lexers hand over
 * every string literal (and config value) they read; this pairs a dataset field whose value is a
 * known dataset with the nearest table field, and reports one `split` reference over the table
 * field's value whose dataset part is the other field's value.
 */
import type { LanguageId, ScanOptions, Span, TableRef } from './types';

/** After a dataset word: `_id`, `Id`, `_name`, a closing quote, spaces, then `:`, `=` or `(`. */
const FIELD_TAIL = /(?:_?[Ii][Dd]|_?[Nn]ame|_ID|_NAME)?["']?\s*[:=(]/y;

/** Whether `word` occurs with a field or call tail (`dataset_id =`, `"datasetId":`, `DATASET=`, `.dataset(`). */
function fieldAfter(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    FIELD_TAIL.lastIndex = at + word.length;
    if (FIELD_TAIL.test(text)) return true;
  }
  return false;
}

/** A text can hold a split reference only if it names a dataset field or call somewhere (indexOf, never a scan of every position). */
function maySplit(text: string): boolean {
  return fieldAfter(text, 'ataset') || fieldAfter(text, 'ATASET') || text.includes('DatasetReference');
}

/** How far apart (in characters) the two fields of one reference may be: a Terraform resource block, a YAML mapping, a few lines of client code. */
const PAIR_WINDOW = 400;
/** A dataset value: one BigQuery dataset name. */
const DATASET_VALUE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A table value: one table name, possibly a wildcard (`events_*`). Dotted values are whole paths, read by the recogniser. */
const TABLE_VALUE = /^[A-Za-z0-9_]+\*?$/;

type Role = 'dataset' | 'table';

/** `NAME=value` at a line start, the value unquoted and ending the word: the value is group 1 (it ends the match). */
const YAML_PLAIN = /[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*:[ \t]+([A-Za-z_][A-Za-z0-9_]*\*?)(?=[ \t]*(?:$|#|\r|\n))/my;
const SHELL_ASSIGNMENT = /[ \t]*(?:export[ \t]+|local[ \t]+|readonly[ \t]+)?[A-Za-z_][A-Za-z0-9_]*=([A-Za-z_][A-Za-z0-9_]*\*?)(?=[ \t]*(?:$|[;#\r\n]))/my;

/**
 * The field a literal at [start, end) is the value of, from the text before it: a key
 * (`dataset_id = "…"`, `"datasetId": "…"`, `table: …`, `TABLE_ID="…"`) or a call
 * (`.dataset("…")`, `.table("…")`, `DatasetReference(project, "…")`, `TableReference(ds_ref, "…")`).
 */
function roleOf(text: string, start: number): Role | undefined {
  let k = start;
  const c0 = text.charCodeAt(k - 1);
  if (c0 === 34 || c0 === 39 || c0 === 96) k--; // the value's opening quote
  while (k > 0 && isBlank(text.charCodeAt(k - 1))) k--;
  const sep = text.charCodeAt(k - 1);
  if (sep === 61 /* = */ || sep === 58 /* : */) {
    k--;
    if (sep === 61 && text.charCodeAt(k - 1) === 58) k--; // `:=`
    while (k > 0 && isBlank(text.charCodeAt(k - 1))) k--;
    const q = text.charCodeAt(k - 1);
    if (q === 34 || q === 39) k--; // `"datasetId":`
    return roleOfKey(wordBefore(text, k));
  }
  if (sep === 40 /* ( */) return roleOfCall(wordBefore(text, k - 1), 1);
  if (sep === 44 /* , */) {
    // The second argument of DatasetReference(project, "ds") or TableReference(dataset_ref, "t").
    const open = text.lastIndexOf('(', k - 1);
    if (open < 0 || k - open > 120 || /[()]/.test(text.slice(open + 1, k - 1)) || text.slice(open + 1, k - 1).includes(',')) return undefined;
    return roleOfCall(wordBefore(text, open), 2);
  }
  return undefined;
}

function roleOfKey(key: string): Role | undefined {
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  if (/dataset(?:id|name)?$/.test(k)) return 'dataset';
  // `destination_dataset_table` holds a whole `dataset.table` path, not a table name.
  if (/table(?:id|name)?$/.test(k) && !k.includes('dataset')) return 'table';
  return undefined;
}

function roleOfCall(name: string, argument: number): Role | undefined {
  if (argument === 1 && name === 'dataset') return 'dataset';
  if (argument === 1 && name === 'table') return 'table';
  if (argument === 2 && name === 'DatasetReference') return 'dataset';
  if (argument === 2 && name === 'TableReference') return 'table';
  return undefined;
}

function wordBefore(text: string, end: number): string {
  let k = end;
  while (k > 0 && isWordChar(text.charCodeAt(k - 1))) k--;
  return text.slice(k, end);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

interface Field extends Span {
  role: Role;
  text: string;
}

export class SplitFields {
  /** String literal contents the lexers met, as [start, end) pairs in the order met. */
  readonly literals: number[] = [];
  /** Undecided (undefined) until the first literal: most texts have no dataset field and record nothing. */
  private active: boolean | undefined;

  /** `known`: false when the caller knows the text names no known dataset (the prefilter found none): nothing can pair. */
  constructor(
    readonly text: string,
    known = true,
  ) {
    if (!known) this.active = false;
  }

  literal(start: number, end: number): void {
    if (this.active === undefined) this.active = maySplit(this.text);
    if (this.active) this.literals.push(start, end);
  }

  /**
   * An unquoted value at a line start: a shell assignment (`DATASET=models_v4`, `export TABLE_ID=t`)
   * or a YAML plain scalar (`dataset: models_v4`, `- table: t`).
   */
  unquoted(lineStart: number, syntax: 'shell' | 'yaml'): void {
    if (this.active === undefined) this.active = maySplit(this.text);
    if (!this.active) return;
    const re = syntax === 'shell' ? SHELL_ASSIGNMENT : YAML_PLAIN;
    re.lastIndex = lineStart;
    const m = re.exec(this.text);
    if (m !== null) this.literals.push(lineStart + m[0].length - m[1]!.length, lineStart + m[0].length);
  }

  /** One `split` reference per table field with a dataset field (a known dataset) within PAIR_WINDOW, the preceding one first. */
  references(_language: LanguageId, opts: ScanOptions, _comments: readonly Span[]): TableRef[] {
    const fields: Field[] = [];
    const l = this.literals;
    for (let i = 0; i < l.length; i += 2) {
      const start = l[i]!;
      const end = l[i + 1]!;
      if (end - start > 1024 || end <= start) continue;
      const role = roleOf(this.text, start);
      if (role === undefined) continue;
      const text = this.text.slice(start, end);
      if (role === 'dataset' ? DATASET_VALUE.test(text) && opts.knownDatasets.has(text.toLowerCase()) : TABLE_VALUE.test(text)) fields.push({ role, text, start, end });
    }
    if (!fields.some((f) => f.role === 'dataset')) return [];
    fields.sort((a, b) => a.start - b.start);
    const refs: TableRef[] = [];
    for (let i = 0; i < fields.length; i++) {
      const t = fields[i]!;
      if (t.role !== 'table') continue;
      let d: Field | undefined;
      for (let j = i - 1; j >= 0 && t.start - fields[j]!.end <= PAIR_WINDOW; j--) if (fields[j]!.role === 'dataset') { d = fields[j]; break; }
      if (d === undefined) {
        for (let j = i + 1; j < fields.length && fields[j]!.start - t.end <= PAIR_WINDOW; j++) {
          if (fields[j]!.role === 'table') break; // the next table field is closer to it
          if (fields[j]!.role === 'dataset') { d = fields[j]; break; }
        }
      }
      if (d === undefined) continue;
      refs.push({
        range: { start: t.start, end: t.end },
        context: 'string',
        form: 'split',
        dataset: { text: d.text, range: { start: d.start, end: d.end }, placeholders: [] },
        table: { text: t.text, range: { start: t.start, end: t.end }, placeholders: [] },
        wildcard: t.text.endsWith('*'),
      });
    }
    return refs;
  }
}
