// Regenerates schemas/bqmigrate.schema.json from the zod schema: `node --import tsx scripts/gen-manifest-schema.ts`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestJsonSchemaText } from '../src/core/manifest/json-schema';

fs.writeFileSync(path.join(__dirname, '..', 'schemas', 'bqmigrate.schema.json'), manifestJsonSchemaText());
