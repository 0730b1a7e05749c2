import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../phases/helpers';
import { COLUMNS_MANIFEST } from './marked';

test('lineage writes tables and columns with combine rules, statuses and references left; regenerating is byte-identical', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-lineage-'));
  try {
    fs.writeFileSync(path.join(dir, 'bqmigrate.json'), COLUMNS_MANIFEST);
    fs.mkdirSync(path.join(dir, 'sql'));
    fs.writeFileSync(path.join(dir, 'sql', 'daily.sql'), 'SELECT date, sentiment_avg, avg_sentiment AS a FROM features.master_features_daily;\nSELECT px_close FROM models_v4.production_training_data_1m;\n');
    const first = await cli(dir, ['lineage']);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /wrote DATA_LINEAGE_MAP\.md/);
    const file = path.join(dir, 'DATA_LINEAGE_MAP.md');
    const doc = fs.readFileSync(file, 'utf8');
    assert.match(doc, /^# Data lineage map\n/);
    assert.match(doc, /\| tables \| 1 \| 0 \| 1 \| 0 \| 0 \| 0 \| 1 \|/, 'one table mapping, migrated, one reference left');
    assert.match(doc, /\| columns \| 4 \| 0 \| 3 \| 1 \| 0 \| 0 \| 3 \|/, 'four column mappings, three references left');
    assert.match(doc, /\| `models_v4\.production_training_data_\{horizon\}` \| `training\.zl_training_prod_allhistory_\{horizon\}` \| migrated \| 1 \|/);
    assert.match(doc, /### `models_v4\.production_training_data_\{horizon\}` → `training\.zl_training_prod_allhistory_\{horizon\}`/);
    assert.match(doc, /\| `sentiment_avg`, `avg_sentiment`, `sentiment_mean_1d` \| `sentiment_score_mean` \| coalesce\(sentiment_avg, avg_sentiment, sentiment_mean_1d\) \| migrated \| 2 \|/);
    assert.match(doc, /\| `temp_max_c`, `temp_min_c` \| `temp_mid_c` \| sql: `\(temp_max_c \+ temp_min_c\) \/ 2` \| shimmed \| 0 \|/);
    assert.match(doc, /\| `px_close` \| `zl_price_close` \| rename \| migrated \| 1 \|/);
    // The document names legacy columns itself: it is not counted, so the second run writes the same bytes.
    const second = await cli(dir, ['lineage']);
    assert.match(second.out, /up to date \(unchanged\)/);
    assert.equal(fs.readFileSync(file, 'utf8'), doc);
    assert.equal((await cli(dir, ['lineage', '--check'])).code, 0);
    fs.writeFileSync(path.join(dir, 'sql', 'daily.sql'), 'SELECT 1;\n');
    const stale = await cli(dir, ['lineage', '--check']);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /DATA_LINEAGE_MAP\.md is stale; run `bqmigrate lineage`/);
    assert.equal(fs.readFileSync(file, 'utf8'), doc, '--check writes nothing');
    const printed = await cli(dir, ['lineage', '--out', '-', '--no-references']);
    assert.doesNotMatch(printed.out, /references left/);
    assert.match(printed.out, /## Columns/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
