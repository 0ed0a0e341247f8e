// The API enforces what the pane shows (R8–R11, R13): the shared card decisions over HTTP, against the
// dev host and Azurite, and through the add-in's own client where the ribbon's one-click 亮牌 reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from './support/api.js';
import { DubanApi } from '../../addin/src/api/client.js';
import { issuedDocNumbers } from '../../functions/storage/index.js';

let api: TestApi;
const L = 'card-decisions';
const WATER = '县水利局';
const HOUSING = '县住建局';
const TRANSPORT = '县交通局';

beforeAll(async () => {
  api = await startApi('carddec', { now: () => new Date('2026-04-01T02:00:00Z') });
  const res = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('W1', { row: 4, leadUnit: WATER }),
        task('H1', {
          row: 5,
          leadUnit: HOUSING,
          deadline: { text: '2026年3月10日', date: '2026-03-10', recurrence: null },
        }),
        task('H2', { row: 6, leadUnit: HOUSING }),
        task('T1', { row: 7, leadUnit: TRANSPORT }),
        task('T2', { row: 8, leadUnit: TRANSPORT }),
      ],
      problems: [{ row: 4, column: 'D', rule: 'R1', message: '缺少工作措施' }],
    },
  });
  expect(res.status).toBe(200);
});
afterAll(() => api.close());

const client = () => new DubanApi({ url: api.host.url, key: KEY });

describe('which reasons go with which colour', () => {
  it('R9/R10: an orange card for 上报材料不及时 is refused with a Chinese 400 and takes no number', async () => {
    const res = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: HOUSING,
        color: 'orange',
        reason: '上报材料不及时',
        taskIds: ['H1'],
        by: '李文书',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('橙牌的理由只能是「工作进展缓慢」');
    expect(await issuedDocNumbers(api.storage, 'yujing', 2026)).toEqual([]);
  });
});

describe('candidates already carded this year', () => {
  it('R9/R13: once the clerk confirms a candidate, GET /candidates sets it apart (carded) and the ribbon’s one-click 亮牌 no longer finds it', async () => {
    const before = await client().candidates(L, '2026-04-01');
    expect(before.map((c) => [c.unit, c.color, c.reason])).toEqual([
      [WATER, 'yellow', '台账清单不规范'],
      [HOUSING, 'orange', '工作进展缓慢'],
    ]);
    // The pane shows the evidence: the row and column of the non-standard cell.
    expect(before[0]!.evidence).toEqual([
      { kind: 'ledger-problem', taskId: 'W1', row: 4, column: 'D', message: '缺少工作措施' },
    ]);
    const card = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: WATER,
        color: 'yellow',
        reason: '台账清单不规范',
        taskIds: ['W1'],
        by: '李文书',
      },
    });
    expect(card.status).toBe(201);
    const report = await client().candidateReport(L, '2026-04-01');
    expect(report.yellow).toEqual([]);
    expect(report.carded.map((c) => [c.unit, c.reason])).toEqual([[WATER, '台账清单不规范']]);
    expect((await client().candidates(L, '2026-04-01')).map((c) => c.unit)).toEqual([HOUSING]);
    // Next year the same finding is a candidate again (R13: a unit's state is of the current year).
    const next = await client().candidateReport(L, '2027-01-05');
    expect(next.carded).toEqual([]);
  });
});

describe('the orange card an interview or a rectification report answers', () => {
  /** An orange card for `unit` on `date`, citing `taskIds`: its id. */
  const orange = async (unit: string, date: string, taskIds: string[]): Promise<string> => {
    const res = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit, color: 'orange', reason: '工作进展缓慢', taskIds, date, by: '李文书' },
    });
    expect(res.status).toBe(201);
    return res.body.card.id as string;
  };

  it('R11: an interview that names no card is recorded against the unit’s orange card, as the pane shows it', async () => {
    await orange(HOUSING, '2026-03-12', ['H1']);
    const second = await orange(HOUSING, '2026-03-20', ['H1', 'H2']);
    const res = await api.call('POST', '/interviews', {
      body: { unit: HOUSING, date: '2026-03-23', leader: '张副县长', interviewee: '赵局长', by: '李文书' },
    });
    expect(res.status).toBe(201);
    expect(res.body.interview.cardId).toBe(second);
  });

  it('R11: an interview naming a card that is not orange → 409', async () => {
    const yellow = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: HOUSING,
        color: 'yellow',
        reason: '工作不到位',
        taskIds: ['H2'],
        date: '2026-03-24',
        by: '李文书',
      },
    });
    const res = await api.call('POST', '/interviews', {
      body: {
        unit: HOUSING,
        date: '2026-03-25',
        leader: '张副县长',
        interviewee: '赵局长',
        cardId: yellow.body.card.id,
        by: '李文书',
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('约谈针对橙牌');
  });

  it('R11: a rectification report that names no card answers the oldest orange card awaiting one; a unit with none → 409', async () => {
    const first = await orange(TRANSPORT, '2026-03-12', ['T1']);
    const second = await orange(TRANSPORT, '2026-03-20', ['T1', 'T2']);
    const one = await api.call('POST', '/rectifications', {
      body: { unit: TRANSPORT, date: '2026-03-26', note: '已整改', by: '李文书' },
    });
    expect(one.status).toBe(201);
    expect(one.body.rectification.cardId).toBe(first);
    const two = await api.call('POST', '/rectifications', {
      body: { unit: TRANSPORT, date: '2026-03-27', note: '已整改', by: '李文书' },
    });
    expect(two.body.rectification.cardId).toBe(second);
    const none = await api.call('POST', '/rectifications', {
      body: { unit: WATER, date: '2026-03-27', note: '已整改', by: '李文书' },
    });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('没有待整改的橙牌');
  });
});
