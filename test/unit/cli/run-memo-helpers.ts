/** The workspace and checks the run memo's tests share (lint-run-memo.test.ts, lint-run-splice.test.ts). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, copyFixture, type CliRun } from './cli-helpers';

export const BASE = ['lint', '--max-file-size', '0.002'];

export function workspace(): string {
  const dir = copyFixture('basic');
  const gen = path.join(dir, 'gen');
  fs.mkdirSync(gen);
  for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(gen, `q${i}.sql`), i % 3 ? `SELECT ${i};\n` : 'SELECT * FROM models_v4.production_training_data_1m;\n');
  fs.writeFileSync(path.join(gen, 'nul.sql'), 'SELECT 1\n\0\n'); // a note on stderr: a binary file
  fs.mkdirSync(path.join(dir, '.bqmigrate'));
  return dir;
}

export const memoOf = (dir: string) => path.join(dir, '.bqmigrate', 'lintcache.run');
export const cacheOf = (dir: string) => path.join(dir, '.bqmigrate', 'lintcache');

/** An uncached run and a cached one with the same arguments: the same stdout, stderr and exit code. */
export function assertCachedIsPlain(dir: string, args: string[], label: string): CliRun {
  const plain = bqmigrate([...BASE, ...args], dir);
  const cached = bqmigrate([...BASE, ...args, '--cache'], dir);
  assert.equal(cached.stdout, plain.stdout, `${label}: stdout`);
  assert.equal(cached.stderr, plain.stderr, `${label}: stderr`);
  assert.equal(cached.code, plain.code, `${label}: exit code`);
  return cached;
}

/** Damages the lint cache so that any run which reads it says so: a run that does not is replayed from the memo. */
export function damageCache(dir: string): void {
  fs.writeFileSync(cacheOf(dir), 'not a cache');
}

/** Seconds: the mtime the lint cache is pinned to, so that a change to its bytes can keep its size, inode and mtime. */
export const PINNED = 1_700_000_000;

/**
 * Damages the lint cache in place, keeping its size, inode and (pinned) mtime: the memo, which holds only
 * beside the cache it was written with, cannot tell, so a run the memo answers never reads the cache.
 */
export function damageBehindTheMemo(dir: string): void {
  const bytes = fs.readFileSync(cacheOf(dir));
  bytes.write('garbage!', 0, 'latin1');
  fs.writeFileSync(cacheOf(dir), bytes);
  fs.utimesSync(cacheOf(dir), PINNED, PINNED);
}
