/**
 * References split across fields: the dataset in one field and the table in another
 * (`dataset_id = "models_v4"` … `table_id = "t"`, `client.dataset("models_v4").table("t")`).
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
  return fieldAfter(text, 'ataset') || fieldAfter(text, 'ATASET') || text.includes('DatasetReference') || fieldAfter(text, 'schema') || text.includes('ref(') || text.includes('resolve(');
}

export class SplitFields {
  /** String literal contents the lexers met, as [start, end) pairs in the order met. */
  readonly literals: number[] = [];
  /** Undecided (undefined) until the first literal: most texts have no dataset field and record nothing. */
  private active: boolean | undefined;

  constructor(readonly text: string) {}

  literal(start: number, end: number): void {
    if (this.active === undefined) this.active = maySplit(this.text);
    if (this.active) this.literals.push(start, end);
  }

  references(_language: LanguageId, _opts: ScanOptions, _comments: readonly Span[]): TableRef[] {
    return [];
  }
}
