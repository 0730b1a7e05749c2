/**
 * BigQuery's label rules ("Labels" → requirements): at most 64 labels per resource; keys and
 * values at most 63 characters of lowercase letters, international characters, digits,
 * underscores and dashes; a key is not empty and starts with a lowercase letter or an
 * international character; a value may be empty. Checked where labels are written (the
 * manifest) so a bad one is reported at its line and column, not refused by datasets.insert.
 */

export const MAX_LABELS = 64;
const MAX_LENGTH = 63;
/** Lowercase or caseless letters (international characters), digits, "_" and "-". */
const LABEL_CHAR = /^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Nd}_-]$/u;
const KEY_START = /^[\p{Ll}\p{Lo}]$/u;

function badChar(text: string): { char: string; index: number } | undefined {
  let index = 0;
  for (const char of text) {
    if (!LABEL_CHAR.test(char)) return { char, index };
    index++;
  }
  return undefined;
}

function show(c: string): string {
  return `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
}

const RULE = 'lowercase letters, international characters, digits, "_" and "-", at most 63 characters';

/** What is wrong with a label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a label key cannot be empty';
  if ([...key].length > MAX_LENGTH) return `label key "${key}" is longer than 63 characters`;
  const bad = badChar(key);
  if (bad) return `label key "${key}" contains ${show(bad.char)} at position ${bad.index + 1}${/\p{Lu}/u.test(bad.char) ? ` (labels are lowercase: "${key.toLowerCase()}")` : ''}: a key is ${RULE}`;
  if (!KEY_START.test([...key][0]!)) return `label key "${key}" must start with a lowercase letter or an international character`;
  return undefined;
}

/** What is wrong with a label value, or undefined (an empty value is allowed). */
export function labelValueProblem(key: string, value: string): string | undefined {
  if ([...value].length > MAX_LENGTH) return `label "${key}": value is longer than 63 characters`;
  const bad = badChar(value);
  if (bad) return `label "${key}": value "${value}" contains ${show(bad.char)} at position ${bad.index + 1}${/\p{Lu}/u.test(bad.char) ? ` (labels are lowercase: "${value.toLowerCase()}")` : ''}: a value is ${RULE}`;
  return undefined;
}
