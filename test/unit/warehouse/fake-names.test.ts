/**
 * The fake BigQuery server refuses dataset ids, table ids and labels BigQuery refuses (400
 * invalid), and accepts the legal ones the client must handle (a table id starting with a digit,
 * international characters in labels). Plain HTTP, no client library.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';

describe('the fake BigQuery server: names and labels by BigQuery\'s rules', () => {
  let fake: FakeBigQuery;
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
  });
  after(() => fake.close());

  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${fake.url}/bigquery/v2/projects/cbi-v14${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await r.json()) as { error?: { errors: { reason: string }[]; message: string } };
    return { status: r.status, reason: json.error?.errors[0]?.reason, message: json.error?.message };
  };
  const dataset = (datasetId: string, labels?: Record<string, string>) => post('/datasets', { datasetReference: { projectId: 'cbi-v14', datasetId }, ...(labels ? { labels } : {}) });
  const table = (tableId: string, labels?: Record<string, string>) =>
    post('/datasets/names_ok/tables', { tableReference: { projectId: 'cbi-v14', datasetId: 'names_ok', tableId }, schema: { fields: [{ name: 'a', type: 'INTEGER' }] }, ...(labels ? { labels } : {}) });

  it('dataset ids: letters, digits and underscores; a leading digit is fine, a dash is not', async () => {
    assert.equal((await dataset('names_ok')).status, 200);
    assert.equal((await dataset('2019_data')).status, 200);
    const bad = await dataset('bad-name');
    assert.deepEqual([bad.status, bad.reason], [400, 'invalid']);
    assert.match(bad.message!, /Invalid dataset ID "bad-name"/);
  });

  it('table ids: Unicode letters, marks, numbers, connectors, dashes and spaces; a leading digit is fine', async () => {
    for (const ok of ['2019_soy_prices', 'prix-café 2019', '価格']) assert.equal((await table(ok)).status, 200, ok);
    for (const bad of ['a.b', 'semi;colon', 'quote"d']) assert.deepEqual([(await table(bad)).status, (await table(bad)).reason], [400, 'invalid'], bad);
  });

  it('labels: lowercase keys starting with a letter, lowercase values, at most 63 characters, international characters allowed', async () => {
    assert.equal((await dataset('labelled_ok', { team: 'data-science', 'région': 'été_2019', empty: '' })).status, 200);
    const refused: Record<string, string>[] = [{ Team: 'x' }, { team: 'Data Science' }, { '1team': 'x' }, { team: 'x'.repeat(64) }];
    for (const labels of refused) {
      const r = await dataset(`labelled_${Object.keys(labels)[0]!.replace(/\W/g, '')}_${Math.random().toString(36).slice(2, 8)}`, labels);
      assert.deepEqual([r.status, r.reason], [400, 'invalid'], JSON.stringify(labels));
      assert.match(r.message!, /Invalid label (key|value)/);
    }
    assert.equal((await table('labelled_table', { Owner: 'x' })).status, 400);
  });
});
