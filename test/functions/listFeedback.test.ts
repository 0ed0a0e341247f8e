// GET /api/feedback against Azurite: what units sent through their signed links (R19), listed for the
// add-in to write back into the ledger: key required, `since` inclusive, paged, text exactly as sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';

let api: TestApi;
/** The API's clock: the instant each feedback is received. */
let clock = new Date('2026-03-24T01:00:00Z');
const L = 'feedback-ledger';
const OTHER = 'other-ledger';
const A = '县财政局';
const B = '县发改局';

interface Listed {
  id: string;
  taskId: string;
  unit: string;
  period: string;
  receivedOn: string;
  text: string;
  value: number | null;
  at: string;
}

async function sync(ledgerId: string, ids: string[]) {
  const res = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId,
      year: 2026,
      by: '李文书',
      tasks: ids.map((id, i) =>
        task(id, {
          row: 4 + i,
          leadUnit: i % 2 ? B : A,
          category: id.startsWith('I') ? 'indicator' : 'routine',
          ...(id.startsWith('I') ? { target: { value: 1200, unit: '人' } } : {}),
        }),
      ),
      problems: [],
    },
  });
  expect(res.status).toBe(200);
}

/** A unit answers through its signed link at `at` (no function key: the link is the authorisation). */
async function answer(ledgerId: string, unit: string, taskId: string, at: string, body: object) {
  clock = new Date(at);
  const link = await api.call('POST', '/feedback-links', {
    body: { ledgerId, unit, taskId, period: '2026-03' },
  });
  expect(link.status).toBe(201);
  const path = new URL(link.body.url as string).pathname.replace(/^\/api/, '');
  const sent = await api.call('POST', path, { key: null, body });
  expect(sent.status).toBe(201);
}

async function listAll(query: string, limit = 1000): Promise<Listed[]> {
  const out: Listed[] = [];
  let continuation: string | null = null;
  do {
    const c: string = continuation ? `&continuation=${encodeURIComponent(continuation)}` : '';
    const res = await api.call('GET', `/feedback?${query}&limit=${limit}${c}`);
    expect(res.status).toBe(200);
    out.push(...(res.body.feedback as Listed[]));
    continuation = res.body.continuation as string | null;
  } while (continuation);
  return out;
}

beforeAll(async () => {
  api = await startApi('lfb', { now: () => clock });
  await sync(L, ['T1', 'T2', 'I3']);
  await sync(OTHER, ['T1']);
  await answer(L, A, 'T1', '2026-03-24T01:00:00Z', { text: '一季度工作已按计划推进' });
  await answer(L, B, 'T2', '2026-03-25T02:30:00Z', { text: '=HYPERLINK("http://evil.example","点我")' });
  await answer(L, B, 'I3', '2026-03-25T03:00:00Z', { text: '完成招聘', value: 860 });
  await answer(L, A, 'T1', '2026-03-26T06:00:00Z', { text: '已完成资金拨付' });
  await answer(OTHER, A, 'T1', '2026-03-26T07:00:00Z', { text: '另一本台账' });
});
afterAll(() => api.close());

describe('GET /api/feedback', () => {
  it('R19: lists every feedback of the ledger with task, unit, period, date, text, value and the instant received', async () => {
    const all = await listAll(`ledgerId=${L}`);
    expect(all).toHaveLength(4);
    const byAt = [...all].sort((x, y) => x.at.localeCompare(y.at));
    expect(byAt.map((f) => [f.taskId, f.unit, f.period, f.receivedOn, f.value])).toEqual([
      ['T1', A, '2026-03', '2026-03-24', null],
      ['T2', B, '2026-03', '2026-03-25', null],
      ['I3', B, '2026-03', '2026-03-25', 860],
      ['T1', A, '2026-03', '2026-03-26', null],
    ]);
    expect(byAt[0]).toMatchObject({
      at: '2026-03-24T01:00:00.000Z',
      id: 'T1|2026-03|2026-03-24T01:00:00.000Z',
    });
    // Exactly as the unit typed it: the add-in, not the API, keeps it from becoming a formula.
    expect(byAt[1]!.text).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(all.some((f) => f.text === '另一本台账')).toBe(false);
  });

  it('R19: since is inclusive and accepts an offset (Beijing time): only what arrived from then on', async () => {
    const fromUtc = await listAll(`ledgerId=${L}&since=2026-03-25T03:00:00Z`);
    expect(fromUtc.map((f) => f.text).sort()).toEqual(['完成招聘', '已完成资金拨付']);
    const fromBeijing = await listAll(
      `ledgerId=${L}&since=${encodeURIComponent('2026-03-25T11:00:00+08:00')}`,
    );
    expect(fromBeijing.map((f) => f.id).sort()).toEqual(fromUtc.map((f) => f.id).sort());
    const none = await listAll(`ledgerId=${L}&since=2026-03-27T00:00:00Z`);
    expect(none).toEqual([]);
  });

  it('R19: pages with a continuation token: every feedback once, none twice', async () => {
    const first = await api.call('GET', `/feedback?ledgerId=${L}&limit=3`);
    expect(first.body.feedback).toHaveLength(3);
    expect(typeof first.body.continuation).toBe('string');
    const paged = await listAll(`ledgerId=${L}`, 1);
    expect(paged).toHaveLength(4);
    expect(new Set(paged.map((f) => f.id)).size).toBe(4);
  });

  it('requires the function key, and says in Chinese what is wrong with a query', async () => {
    const noKey = await api.call('GET', `/feedback?ledgerId=${L}`, { key: null });
    expect(noKey.status).toBe(401);
    const wrongKey = await api.call('GET', `/feedback?ledgerId=${L}`, { key: 'wrong' });
    expect(wrongKey.status).toBe(401);
    const noLedger = await api.call('GET', '/feedback');
    expect(noLedger.status).toBe(400);
    expect(noLedger.body.error.message).toContain('ledgerId');
    const badSince = await api.call('GET', `/feedback?ledgerId=${L}&since=3月25日`);
    expect(badSince.status).toBe(400);
    expect(badSince.body.error.message).toContain('since 应为 ISO 时间');
    const badLimit = await api.call('GET', `/feedback?ledgerId=${L}&limit=0`);
    expect(badLimit.status).toBe(400);
    const badToken = await api.call('GET', `/feedback?ledgerId=${L}&continuation=not-a-token`);
    expect(badToken.status).toBe(400);
    expect(badToken.body.error.code).toBe('invalid_continuation');
  });

  it('an unknown ledger has no feedback: an empty list, not an error', async () => {
    const res = await api.call('GET', '/feedback?ledgerId=never-synced');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ feedback: [], continuation: null });
  });
});
