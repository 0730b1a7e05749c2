// Prints the "Rules" section of docs/core.md from the rules' own metadata:
// `node --import tsx scripts/gen-rule-docs.ts` (a test keeps docs/core.md in sync with it).
import { ruleDocsMarkdown } from '../src/core/rules/docs';

process.stdout.write(ruleDocsMarkdown());
