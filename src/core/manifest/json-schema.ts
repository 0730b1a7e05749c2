/** The JSON Schema of bqmigrate.json, generated from the zod schema (schemas/bqmigrate.schema.json is this, committed). */
import * as z from 'zod';
import { ManifestSchema } from './schema';

export const SCHEMA_ID = 'https://cbi-v14.github.io/bqmigrate/bqmigrate.schema.json';

export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: SCHEMA_ID,
    title: 'bqmigrate manifest (bqmigrate.json)',
    description: 'The BigQuery warehouse migration manifest: datasets, variables, mappings, naming conventions, rules, archive, shims, checks and phases.',
    // JSONC: the file allows comments and trailing commas; editors read this hint.
    allowTrailingCommas: true,
  };
}

/** The committed file's exact text: two-space JSON and a final newline. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
