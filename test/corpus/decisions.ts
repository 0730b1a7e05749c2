/**
 * Where the scanner and the naive finder disagree on the realistic corpus, and why the scanner is right.
 * The differential test fails on any disagreement not listed here, and on any entry here that no longer
 * happens, so the list is exactly the set of tested decisions. Keyed by template and the text found.
 */
export interface Decision {
  template: string;
  /** The text found (copies differ in horizon and table names). */
  text: RegExp;
  /** Which finder reports it. */
  only: 'scanner' | 'naive';
  why: string;
}

export const DECISIONS: readonly Decision[] = [
  {
    template: 'notebooks/eda_@N@.ipynb',
    text: /^models_v4\.production_training_data_(?:1w|1m|3m|6m|12m)$/,
    only: 'naive',
    why: 'a cell output: outputs record what an earlier run printed and are written again by the next run, so they are not read (nor rewritten)',
  },
  {
    template: 'sql/checks_@N@.sql',
    text: /^models_v4\.predictions_latest$/,
    only: 'naive',
    why: 'suppressed by a bqmigrate-disable-next-line comment on the line before',
  },
];
