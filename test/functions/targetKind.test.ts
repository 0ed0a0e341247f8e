// R6 from the office's side: the kind of a 4★ target (cumulative, pro-rated over the year; or a level
// to hold from January) is data — written in the ledger, set by the clerk, else a setting. A title
// with 增长 never turns an on-track task into a lagging one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { subjectHistory } from '../../functions/storage/index.js';
import { parseTarget } from '../../shared/ledger/fields.js';

const L = 'target-ledger';
const UNIT = '县商务局';
let api: TestApi;
const clock = new Date('2026-04-01T01:00:00Z');

const sync = () =>
  api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('S1', {
          leadUnit: UNIT,
          category: 'indicator',
          stars: 4,
          title: '社会消费品零售总额稳定增长',
          target: { value: 50, unit: '亿元' },
        }),
      ],
      problems: [],
    },
  });
const lagging = async () => {
  const res = await api.call('GET', `/candidates?ledgerId=${L}&asOf=2026-04-01`);
  expect(res.status).toBe(200);
  return res.body.orange.flatMap((c: { details: string[] }) => c.details);
};

beforeAll(async () => {
  api = await startApi('targetkind', { now: () => clock });
  expect((await sync()).status).toBe(200);
  const link = await api.call('POST', '/feedback-links', {
    body: { ledgerId: L, unit: UNIT, taskId: 'S1', period: '2026-03', expires: '2026-05-31' },
  });
  const path = new URL(link.body.url).pathname.replace(/^\/api/, '');
  const sent = await api.call('POST', path, { key: null, body: { text: '一季度完成13亿元', value: 13 } });
  expect(sent.status).toBe(201);
});
afterAll(() => api.close());

describe('the kind of a 4★ target (R6)', () => {
  it('R6: the ledger writes the kind in the target cell: 1200人（累计）, 95%（水平值）, 保持95%以上', () => {
    expect(parseTarget('1200人（累计）')).toEqual({ value: 1200, unit: '人', kind: 'cumulative' });
    expect(parseTarget('全年累计3.2亿元')).toEqual({ value: 3.2, unit: '亿元', kind: 'cumulative' });
    expect(parseTarget('95%（水平值）')).toEqual({ value: 95, unit: '%', kind: 'level' });
    expect(parseTarget('保持95%以上')).toEqual({ value: 95, unit: '%', kind: 'level' });
    expect(parseTarget('1200人')).toEqual({ value: 1200, unit: '人' });
  });

  it('R6: a title with 增长 does not make 50亿元 a level: 13亿元 by 31 Mar is on track (pro-rata 12.33)', async () => {
    expect(await lagging()).toEqual([]);
  });

  it('R6: the clerk sets the kind per task (with history); it survives the next sync; null clears it', async () => {
    const set = (kind: 'cumulative' | 'level' | null) =>
      api.call('POST', '/tasks/target-kind', { body: { ledgerId: L, taskIds: ['S1'], kind, by: '李文书' } });
    const level = await set('level');
    expect(level.status).toBe(200);
    expect(level.body.changes).toMatchObject([{ taskId: 'S1', from: null, to: 'level' }]);
    expect(await lagging()).toEqual(['第S1项任务进度滞后：截至2026-03-31报送13，目标为50，低于目标的80%']);
    expect((await sync()).status).toBe(200);
    expect(await lagging()).toHaveLength(1);
    expect((await set('level')).body).toMatchObject({ changes: [], unchanged: 1 });
    expect((await set(null)).status).toBe(200);
    expect(await lagging()).toEqual([]);
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'S1' });
    expect(
      history
        .filter((h) => h.type === 'target-kind')
        .map((h) => [h.by, h.data.to])
        .sort(),
    ).toEqual([
      ['李文书', null],
      ['李文书', 'level'],
    ]);
    const bad = await api.call('POST', '/tasks/target-kind', {
      body: { ledgerId: L, taskIds: ['S1'], kind: 'average', by: '李文书' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('指标类型');
  });

  it('R6: the default kind is a setting: with targetKindDefault level, the same task is lagging', async () => {
    const put = async (targetKindDefault: 'cumulative' | 'level') => {
      const current = await api.call('GET', '/settings');
      const res = await api.call('PUT', '/settings', {
        body: { targetKindDefault },
        headers: current.body.etag ? { 'if-match': current.body.etag } : {},
      });
      expect(res.status).toBe(200);
    };
    await put('level');
    expect(await lagging()).toEqual(['第S1项任务进度滞后：截至2026-03-31报送13，目标为50，低于目标的80%']);
    await put('cumulative');
    expect(await lagging()).toEqual([]);
  });
});
