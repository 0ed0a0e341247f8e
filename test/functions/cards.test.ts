// 亮牌, 约谈登记, the red checklist, rectification reports and card states over the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { encodeKey, issuedDocNumbers, subjectHistory, takeDocNumber } from '../../functions/storage/index.js';
import { issuedLetter, letterRowKey } from '../../functions/storage/letters.js';
import { cardId } from '../../functions/services/cards.js';
import { requestHash } from '../../functions/services/identity.js';

let api: TestApi;
const L = 'cards-ledger';
const UNIT = '县住建局';

beforeAll(async () => {
  api = await startApi('cards');
  const res = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('A1', { row: 4, leadUnit: UNIT }),
        task('A2', { row: 5, leadUnit: UNIT }),
        task('B1', { row: 6, leadUnit: '县水利局' }),
        task('C1', { row: 7, leadUnit: UNIT, closed: true }),
      ],
    },
  });
  expect(res.status).toBe(200);
});
afterAll(() => api.close());

/** An orange card for `unit` on `date` (R11: its rectification is due 10 working days later): its id. */
async function orangeCard(unit: string, date: string): Promise<string> {
  const res = await api.call('POST', '/cards', {
    body: { ledgerId: L, unit, color: 'orange', reason: '工作进展缓慢', date, by: '李文书' },
  });
  expect(res.status).toBe(201);
  return res.body.card.id as string;
}

/** An interview with `unit` on `date`: the red card it made (R12: the second within the year), or null. */
async function interview(unit: string, date: string, cardId?: string): Promise<{ id: string } | null> {
  const res = await api.call('POST', '/interviews', {
    body: {
      unit,
      date,
      leader: '张副县长',
      interviewee: '赵局长',
      by: '李文书',
      ...(cardId ? { cardId } : {}),
    },
  });
  expect(res.status).toBe(201);
  return res.body.red as { id: string } | null;
}

/** A red card for `unit`: two interviews within the year (R12). */
async function redCard(unit: string): Promise<string> {
  expect(await interview(unit, '2026-05-06')).toBeNull();
  const red = await interview(unit, '2026-05-20');
  expect(red).not.toBeNull();
  return red!.id;
}

describe('POST /api/cards (亮牌)', () => {
  it('R14: a yellow card gets the next 提示函 number of its year; R8: it cites the unit’s tasks and is in its history', async () => {
    const res = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: UNIT,
        color: 'yellow',
        reason: '上报材料不及时',
        taskIds: ['A1'],
        date: '2026-02-10',
        by: '李文书',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.card).toMatchObject({
      unit: UNIT,
      color: 'yellow',
      docNo: '友政督提〔2026〕1号',
      taskIds: ['A1'],
      rectifyBy: null,
    });
    expect(res.body.interviewToRecord).toBeNull();
    const unitHistory = await subjectHistory(api.storage, { unit: UNIT });
    expect(unitHistory.filter((h) => h.type === 'card').map((h) => h.data.docNo)).toEqual([
      '友政督提〔2026〕1号',
    ]);
    const taskHistory = await subjectHistory(api.storage, { ledgerId: L, taskId: 'A1' });
    expect(taskHistory.map((h) => h.type)).toContain('card');
  });

  it('R11/R14: an orange card gets a 预警通知书 number and opens an interview with a rectification deadline of 10 working days', async () => {
    const res = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: UNIT,
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ['A1', 'A2'],
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.card).toMatchObject({ docNo: '友政督警〔2026〕1号', rectifyBy: '2026-03-16' });
    expect(res.body.interviewToRecord).toEqual({
      cardId: res.body.card.id,
      unit: UNIT,
      rectifyBy: '2026-03-16',
    });
  });

  it('R8: a card goes to the lead unit of the tasks it cites; R3: never for a closed task', async () => {
    const wrong = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit: UNIT, color: 'yellow', reason: '工作不到位', taskIds: ['B1'], by: '李文书' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('县水利局');
    const closed = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit: UNIT, color: 'yellow', reason: '工作不到位', taskIds: ['C1'], by: '李文书' },
    });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toContain('已销号');
    const red = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit: UNIT, color: 'red', reason: '工作不到位', taskIds: [], by: '李文书' },
    });
    expect(red.status).toBe(400);
    expect(await issuedDocNumbers(api.storage, 'tishihan', 2026)).toHaveLength(1);
  });
});

describe('POST /api/interviews (约谈登记)', () => {
  it('R11: the first interview is recorded against the orange card; the unit stays orange', async () => {
    const unit = '县城管局';
    const orangeId = await orangeCard(unit, '2026-03-02');
    const res = await api.call('POST', '/interviews', {
      body: {
        unit,
        date: '2026-03-05',
        leader: '张副县长',
        interviewee: '赵局长',
        record: '说明进度滞后原因',
        cardId: orangeId,
        by: '李文书',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.interview.cardId).toBe(orangeId);
    expect(res.body.red).toBeNull();
    const states = await api.call('GET', '/units?asOf=2026-03-05');
    const s = states.body.units.find((u: { unit: string }) => u.unit === unit);
    expect(s).toMatchObject({
      state: 'orange',
      interviews: 1,
      rectifyBy: '2026-03-16',
      rectificationOverdue: false,
      color: '#F4B183',
    });
  });

  it('R12: the second interview within the year makes the unit red at once, with the four-item checklist', async () => {
    const unit = '县粮食局';
    await orangeCard(unit, '2026-03-02');
    expect(await interview(unit, '2026-03-05')).toBeNull();
    const res = await api.call('POST', '/interviews', {
      body: {
        unit,
        date: '2026-06-10',
        leader: '张副县长',
        interviewee: '赵局长',
        record: '再次约谈',
        by: '李文书',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.red).toMatchObject({ color: 'red', unit, docNo: null });
    expect(res.body.red.checklist.map((i: { id: string; done: boolean }) => [i.id, i.done])).toEqual([
      ['explain', false],
      ['selfCriticism', false],
      ['circular', false],
      ['report', false],
    ]);
    const states = await api.call('GET', '/units?asOf=2026-06-10');
    expect(states.body.units.find((u: { unit: string }) => u.unit === unit)).toMatchObject({
      state: 'red',
      interviews: 2,
      color: '#FF7C80',
    });
  });

  it('R12: a third interview keeps the unit red without a second red card', async () => {
    const unit = '县市场监管局';
    await redCard(unit);
    expect(await interview(unit, '2026-07-01')).toBeNull();
    const states = await api.call('GET', '/units?asOf=2026-07-01');
    const s = states.body.units.find((u: { unit: string }) => u.unit === unit);
    expect(s.cards.filter((c: { color: string }) => c.color === 'red')).toHaveLength(1);
  });

  it('R12: a third interview backdated before the red card keeps the one red card and its one checklist', async () => {
    const unit = '县林业局';
    const record = (date: string) =>
      api.call('POST', '/interviews', {
        body: { unit, date, leader: '张副县长', interviewee: '周局长', by: '李文书' },
      });
    expect((await record('2026-06-01')).body.red).toBeNull();
    const second = await record('2026-06-10');
    expect(second.body.red).toMatchObject({ color: 'red', date: '2026-06-10' });
    const backdated = await record('2026-03-01');
    expect(backdated.status).toBe(201);
    expect(backdated.body.red).toBeNull();
    const states = await api.call('GET', '/units?asOf=2026-12-31');
    const s = states.body.units.find((u: { unit: string }) => u.unit === unit);
    expect(s.state).toBe('red');
    expect(s.interviews).toBe(3);
    expect(s.cards.filter((c: { color: string }) => c.color === 'red')).toHaveLength(1);
  });

  it('R12: two clerks recording the second interview at the same moment give exactly one red card', async () => {
    const unit = '县交通局';
    const both = await Promise.all(
      ['2026-04-01', '2026-04-02'].map((date) =>
        api.call('POST', '/interviews', {
          body: { unit, date, leader: '刘副县长', interviewee: '钱局长', by: '李文书' },
        }),
      ),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both.filter((r) => r.body.red !== null)).toHaveLength(1);
  });

  it('an interview naming an unknown card → 404, nothing recorded', async () => {
    const res = await api.call('POST', '/interviews', {
      body: {
        unit: '县统计局',
        date: '2026-03-05',
        leader: '张副县长',
        interviewee: '孙局长',
        cardId: 'nope',
        by: '李文书',
      },
    });
    expect(res.status).toBe(404);
    expect(await subjectHistory(api.storage, { unit: '县统计局' })).toEqual([]);
  });
});

describe('the red card’s checklist (R12) and ETags', () => {
  it('R12: each item is tickable; a stale ETag → 412 and the other clerk’s tick is kept', async () => {
    const redId = await redCard('县司法局');
    const read = await api.call('GET', `/cards/${redId}`);
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag') as string;
    expect(etag).toBeTruthy();
    const first = await api.call('POST', `/cards/${redId}/checklist`, {
      body: { item: 'explain', done: true, by: '李文书' },
      headers: { 'If-Match': etag },
    });
    expect(first.status).toBe(200);
    expect(first.body.card.checklist[0]).toMatchObject({ id: 'explain', done: true, by: '李文书' });
    const stale = await api.call('POST', `/cards/${redId}/checklist`, {
      body: { item: 'explain', done: false, by: '王科长' },
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toContain('已被他人修改');
    const after = await api.call('GET', `/cards/${redId}`);
    expect(after.body.card.checklist[0]).toMatchObject({ done: true, by: '李文书' });
    const fresh = await api.call('POST', `/cards/${redId}/checklist`, {
      body: { item: 'report', done: true, by: '王科长' },
      headers: { 'If-Match': after.headers.get('etag') as string },
    });
    expect(fresh.status).toBe(200);
    expect(
      fresh.body.card.checklist.filter((i: { done: boolean }) => i.done).map((i: { id: string }) => i.id),
    ).toEqual(['explain', 'report']);
  });

  it('only a red card has a checklist (409); an unknown card is 404', async () => {
    const orangeId = await orangeCard('县教育局', '2026-03-02');
    const orange = await api.call('POST', `/cards/${orangeId}/checklist`, {
      body: { item: 'explain', done: true, by: '李文书' },
    });
    expect(orange.status).toBe(409);
    const none = await api.call('POST', '/cards/nope/checklist', {
      body: { item: 'explain', done: true, by: '李文书' },
    });
    expect(none.status).toBe(404);
  });
});

describe('POST /api/rectifications (R11)', () => {
  it('R11: past the deadline the orange card is overdue; a rectification report ends it', async () => {
    const unit = '县卫健局';
    const orangeId = await orangeCard(unit, '2026-03-02');
    const before = await api.call('GET', '/units?asOf=2026-03-17');
    expect(before.body.units.find((u: { unit: string }) => u.unit === unit)).toMatchObject({
      rectifyBy: '2026-03-16',
      rectificationOverdue: true,
    });
    const res = await api.call('POST', '/rectifications', {
      body: { unit, cardId: orangeId, date: '2026-03-18', note: '整改报告已报送', by: '李文书' },
    });
    expect(res.status).toBe(201);
    const after = await api.call('GET', '/units?asOf=2026-03-19');
    const s = after.body.units.find((u: { unit: string }) => u.unit === unit);
    expect(s).toMatchObject({ rectificationOverdue: false, rectifyBy: null });
    expect(s.cards.find((c: { id: string }) => c.id === orangeId)).toMatchObject({
      rectifiedOn: '2026-03-18',
    });
  });

  it('R11: the same rectification report sent twice is one report; a different note is another', async () => {
    const unit = '县文旅局';
    const orangeId = await orangeCard(unit, '2026-03-02');
    const body = { unit, cardId: orangeId, date: '2026-03-20', note: '补充报送整改台账', by: '李文书' };
    const first = await api.call('POST', '/rectifications', { body });
    const again = await api.call('POST', '/rectifications', { body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({ replayed: true, rectification: { id: first.body.rectification.id } });
    const history = (await subjectHistory(api.storage, { unit })).filter(
      (h) => h.type === 'rectification' && h.date === '2026-03-20',
    );
    expect(history).toHaveLength(1);
    const other = await api.call('POST', '/rectifications', { body: { ...body, note: '另一份材料' } });
    expect(other.status).toBe(201);
    expect(other.body.rectification.id).not.toBe(first.body.rectification.id);
  });

  it('a rectification for a card that is not orange → 409', async () => {
    const unit = '县科技局';
    const redId = await redCard(unit);
    const res = await api.call('POST', '/rectifications', {
      body: { unit, cardId: redId, date: '2026-07-02', by: '李文书' },
    });
    expect(res.status).toBe(409);
  });
});

describe('R14: document numbers under concurrency', () => {
  it('R14: 20 concurrent card issues get 20 distinct consecutive numbers', async () => {
    // The numbers the year's earlier orange cards took: the 20 follow them, with no gap and no repeat.
    const taken = (await issuedDocNumbers(api.storage, 'yujing', 2026)).length;
    const units = Array.from({ length: 20 }, (_, i) => `县第${i + 1}局`);
    const replies = await Promise.all(
      units.map((unit) =>
        api.call('POST', '/cards', {
          body: {
            ledgerId: L,
            unit,
            color: 'orange',
            reason: '工作进展缓慢',
            date: '2026-09-01',
            by: '李文书',
          },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = replies
      .map((r) => Number(/〔2026〕(\d+)号/.exec(r.body.card.docNo)?.[1]))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => taken + i + 1));
    const issued = await issuedDocNumbers(api.storage, 'yujing', 2026);
    expect(issued.map((d) => d.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: taken + 20 }, (_, i) => i + 1),
    );
    expect(new Set(issued.map((d) => d.cardId)).size).toBe(taken + 20);
  });

  it('R14: numbers start again at 1 in a new year', async () => {
    const res = await api.call('POST', '/cards', {
      body: {
        ledgerId: L,
        unit: UNIT,
        color: 'yellow',
        reason: '工作不到位',
        date: '2027-01-05',
        by: '李文书',
      },
    });
    expect(res.body.card.docNo).toBe('友政督提〔2027〕1号');
  });
});

describe('retries (requestId)', () => {
  it('R14: a card request sent again with the same requestId gives the same card and number, not a second one', async () => {
    const body = {
      ledgerId: L,
      unit: '县审计局',
      color: 'yellow',
      reason: '工作不到位',
      date: '2026-10-09',
      requestId: 'click-0001-aaaa',
      by: '李文书',
    };
    const first = await api.call('POST', '/cards', { body });
    const again = await api.call('POST', '/cards', { body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({
      replayed: true,
      card: { id: first.body.card.id, docNo: first.body.card.docNo },
    });
    const issued = (await issuedDocNumbers(api.storage, 'tishihan', 2026)).filter(
      (d) => d.unit === '县审计局',
    );
    expect(issued).toHaveLength(1);
    const history = (await subjectHistory(api.storage, { unit: '县审计局' })).filter(
      (h) => h.type === 'card',
    );
    expect(history).toHaveLength(1);
  });

  it('R12: an interview sent again with the same requestId is not a second interview (no red)', async () => {
    const body = {
      unit: '县审计局',
      date: '2026-10-10',
      leader: '张副县长',
      interviewee: '郑局长',
      requestId: 'click-0002-bbbb',
      by: '李文书',
    };
    const first = await api.call('POST', '/interviews', { body });
    const again = await api.call('POST', '/interviews', { body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({
      replayed: true,
      red: null,
      interview: { id: first.body.interview.id },
    });
    const states = await api.call('GET', '/units?asOf=2026-10-10');
    expect(states.body.units.find((u: { unit: string }) => u.unit === '县审计局')).toMatchObject({
      state: 'yellow',
      interviews: 1,
    });
    const second = await api.call('POST', '/interviews', {
      body: { ...body, date: '2026-10-20', requestId: 'click-0003-cccc' },
    });
    expect(second.body.red).toMatchObject({ color: 'red' });
    const replayRed = await api.call('POST', '/interviews', {
      body: { ...body, date: '2026-10-20', requestId: 'click-0003-cccc' },
    });
    expect(replayRed.body.red?.id).toBe(second.body.red.id);
  });
});

describe('retries without a requestId', () => {
  it('R14: a client that sends no requestId and clicks again gets the same card and number, not a second one', async () => {
    const body = {
      ledgerId: L,
      unit: '县民政局',
      color: 'yellow',
      reason: '工作不到位',
      date: '2026-10-12',
      note: '重复点击',
      by: '李文书',
    };
    const first = await api.call('POST', '/cards', { body });
    const again = await api.call('POST', '/cards', { body: { ...body, by: '王科长' } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({
      replayed: true,
      card: { id: first.body.card.id, docNo: first.body.card.docNo },
    });
    const issued = (await issuedDocNumbers(api.storage, 'tishihan', 2026)).filter(
      (d) => d.unit === '县民政局',
    );
    expect(issued).toHaveLength(1);
    // A different card (another note) is a card of its own, with the next number.
    const other = await api.call('POST', '/cards', { body: { ...body, note: '另一问题' } });
    expect(other.status).toBe(201);
    expect(other.body.card.id).not.toBe(first.body.card.id);
    const n = (docNo: string) => Number(/〔2026〕(\d+)号/.exec(docNo)?.[1]);
    expect(n(other.body.card.docNo)).toBe(n(first.body.card.docNo) + 1);
  });

  it('R14: a first attempt without requestId that took a number and stopped before the card — the clerk’s retry gets that number; the next card the next one (no gap)', async () => {
    const unit = '县人社局';
    const body = {
      ledgerId: L,
      unit,
      color: 'orange' as const,
      reason: '工作进展缓慢',
      taskIds: [] as string[],
      date: '2026-11-20',
      by: '李文书',
    };
    // What a first attempt that stopped after its number transaction left behind (storage gone
    // before the unit's record was written): a number row naming the card that was never written.
    const taken = await takeDocNumber(api.storage, 'yujing', 2026, {
      cardId: cardId(unit, body.date, body),
      unit,
      docNo: (k) => `友政督警〔2026〕${k}号`,
    });
    expect((await api.storage.listPartition('Cards', encodeKey(unit))).length).toBe(0);
    const retry = await api.call('POST', '/cards', { body });
    expect(retry.status).toBe(201);
    expect(retry.body.card.docNo).toBe(taken.docNo);
    const next = await api.call('POST', '/cards', {
      body: { ...body, unit: '县医保局' },
    });
    expect(next.body.card.docNo).toBe(`友政督警〔2026〕${taken.n + 1}号`);
    const issued = (await issuedDocNumbers(api.storage, 'yujing', 2026))
      .map((d) => d.n)
      .sort((a, b) => a - b);
    expect(issued).toEqual(Array.from({ length: issued.length }, (_, i) => i + 1));
  });

  it('R12: the same interview sent twice without a requestId is one interview — the re-click does not make the unit red', async () => {
    const body = {
      unit: '县民宗局',
      date: '2026-10-13',
      leader: '张副县长',
      interviewee: '冯局长',
      by: '李文书',
    };
    const first = await api.call('POST', '/interviews', { body });
    const again = await api.call('POST', '/interviews', { body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toMatchObject({ replayed: true, red: null });
    const states = await api.call('GET', '/units?asOf=2026-10-31');
    expect(states.body.units.find((u: { unit: string }) => u.unit === '县民宗局')).toMatchObject({
      state: 'none',
      interviews: 1,
    });
  });
});

describe('R8: the letter is kept with the card', () => {
  it('R8/R14: issuing writes the letter beside the card in the unit’s record, in the same transaction; a retry leaves it as it was', async () => {
    const unit = '县商务局';
    const body = {
      ledgerId: L,
      unit,
      color: 'yellow',
      reason: '报送材料质量不高',
      date: '2026-11-02',
      note: '10月进展材料缺少数据支撑',
      requestId: 'click-letter-0001',
      by: '李文书',
    };
    const first = await api.call('POST', '/cards', { body });
    expect(first.status).toBe(201);
    const card = first.body.card;
    const rows = await api.storage.listPartition('Cards', encodeKey(unit));
    expect(rows.map((r) => r.rowKey).sort()).toEqual(
      [`card|${encodeKey(card.id)}`, letterRowKey(card.id), '~version'].sort(),
    );
    // One transaction: the version row moved once for the card and its letter together.
    expect(rows.find((r) => r.rowKey === '~version')?.n).toBe(1);
    const kept = await issuedLetter(api.storage, unit, card.id);
    expect(kept?.content).toMatchObject({ kind: 'tishihan', docNo: card.docNo, addressees: [unit] });
    expect(JSON.stringify(kept?.content.blocks)).toContain('具体问题：10月进展材料缺少数据支撑');
    const letterRow = rows.find((r) => r.rowKey === letterRowKey(card.id));

    const again = await api.call('POST', '/cards', { body });
    expect(again.status).toBe(200);
    const after = await api.storage.get('Cards', encodeKey(unit), letterRowKey(card.id));
    expect(after?.etag).toBe(letterRow?.etag);
  });

  it('R8/R14: a retry after the first attempt took a number but stopped keeps that number, in the card and its letter', async () => {
    const unit = '县统计局';
    const date = '2026-11-03';
    const requestId = 'click-letter-0002';
    const id = `${date.replace(/-/g, '')}-orange-r${requestHash(unit, requestId)}`;
    const taken = await takeDocNumber(api.storage, 'yujing', 2026, {
      cardId: id,
      unit,
      docNo: (n) => `友政督警〔2026〕${n}号`,
    });
    const res = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit, color: 'orange', reason: '工作进展缓慢', date, requestId, by: '李文书' },
    });
    expect(res.status).toBe(201);
    expect(res.body.card).toMatchObject({ id, docNo: taken.docNo });
    const kept = await issuedLetter(api.storage, unit, id);
    expect(kept?.content).toMatchObject({
      kind: 'yujing',
      docNo: taken.docNo,
      fileName: `${taken.docNo}.docx`,
    });
  });

  it('R12: a red card has no letter kept (none is sent for red)', async () => {
    const unit = '县气象局';
    const redId = await redCard(unit);
    expect(await issuedLetter(api.storage, unit, redId)).toBeNull();
  });
});
