/**
 * `sql` steps (a BigQuery SQL file run as one script; on the local warehouse backtick names
 * are translated and statements run one by one) and `command` steps (the team's scripts,
 * run in the manifest folder; output captured into the journal).
 */
import { splitStatements } from '../sql';
import type { PlannedAction } from '../types';
import { readMappingSql } from './targets';
import { exec, type BuiltinStep } from './common';

export const sqlStep: BuiltinStep = {
  name: 'sql',
  title: 'SQL script',
  destructive: false,
  sequential: true,
  plan(ctx) {
    const file = String(ctx.options.sql);
    let text: string;
    try {
      text = readMappingSql(ctx.loaded.root, file, ctx.target.kind, ctx.target.project);
    } catch (err) {
      const message = `${file}: ${(err as Error).message}`;
      return { actions: [{ id: `sql:${file}`, title: `run ${file}`, sql: [`-- ${message}`], destructive: false, execute: () => Promise.reject(new Error(message)) }], notes: [message] };
    }
    const statements = ctx.target.kind === 'local' ? splitStatements(text) : [text.trim()];
    const destructive = /\b(DROP|TRUNCATE|DELETE|REPLACE)\b/i.test(text);
    const action: PlannedAction = {
      id: `sql:${file}`,
      title: `run ${file}${ctx.target.kind === 'local' ? ` (${statements.length} statement(s), translated for DuckDB)` : ' as a script'}`,
      sql: statements,
      destructive,
      async execute(a) {
        const out = {};
        for (const s of statements) await exec(a, s, out);
        return { ...out, detail: `${statements.length} statement(s)` };
      },
    };
    return { actions: [action], notes: destructive ? [`${file} contains DROP/DELETE/REPLACE: needs confirmation`] : [] };
  },
};

export const commandStep: BuiltinStep = {
  name: 'command',
  title: 'Command',
  destructive: false,
  sequential: true,
  plan(ctx) {
    const command = String(ctx.options.command);
    const action: PlannedAction = {
      id: `command:${ctx.stepId}`,
      title: `run \`${command}\` in ${ctx.loaded.root}`,
      sql: [`-- shell: ${command}`],
      destructive: false,
      async execute(a) {
        const r = await a.runCommand(command, a.loaded.root, a.signal);
        const tail = r.output.length > 4000 ? r.output.slice(-4000) : r.output;
        a.note({ exitCode: r.exitCode, output: tail });
        if (r.exitCode !== 0) throw new Error(`\`${command}\` exited with ${r.exitCode}${tail ? `: ${tail.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        return { detail: 'exit 0' };
      },
    };
    return { actions: [action], notes: ['commands are not idempotent by themselves: --resume runs an interrupted command again'] };
  },
};
