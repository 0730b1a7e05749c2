/**
 * Imported first by main.ts: zod builds its JIT when a schema is created and
 * probes `new Function`, which this page's CSP (no 'unsafe-eval') blocks and
 * reports. jitless must be set before src/protocol's schemas exist.
 */
import { z } from 'zod';

z.config({ jitless: true });
