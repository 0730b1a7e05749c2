/**
 * Imported first by main.ts. zod builds its JIT when a schema is created and
 * probes `new Function`, which this page's CSP (no 'unsafe-eval') blocks and
 * reports, so jitless is set before src/protocol's schemas exist. zod/mini ships
 * no messages; the English ones make rejections readable in the log.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config({ jitless: true });
z.config(en());
