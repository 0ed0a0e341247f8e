// R8: a card's letter is the letter as issued. It is kept with the card when the card is issued and
// every download renders that one — a task renamed by a later ledger sync, a change of settings or the
// interview recorded afterwards do not change it. A card issued before letters were kept gets its
// letter built from today's state, and the answer says so (X-Duban-Letter: rebuilt).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from '../support/api.js';
import {
  cardEntity,
  changeUnit,
  encodeKey,
  issuedDocNumbers,
  type CardRecord,
} from '../../../functions/storage/index.js';
import {
  LETTER_MAX_CHARS,
  LETTER_PART_CHARS,
  issuedLetter,
  letterEntity,
  letterRowKey,
} from '../../../functions/storage/letters.js';
import { cardLetter } from '../../../shared/documents/index.js';
import { DEFAULT_SETTINGS } from '../../../shared/settings.js';
import { makeCalendar } from '../../../shared/calendar.js';
import { paragraphsOf, unzipDocx } from './docx.js';

let api: TestApi;
const L = 'issued-ledger';
const UNIT = '县住建局';
const OTHER = '县交通局';

const tasks = (titles: { A1: string; A2: string; T1: string }, deadline = '2026年12月31日') => [
  task('A1', { row: 4, no: '1', title: titles.A1, leadUnit: UNIT, supportUnits: ['县财政局'] }),
  task('A2', {
    row: 5,
    no: '2',
    title: titles.A2,
    leadUnit: UNIT,
    supportUnits: ['县发改局'],
    deadline: { text: deadline, date: null, recurrence: null },
  }),
  task('T1', { row: 6, no: '3', title: titles.T1, leadUnit: OTHER }),
];
const BEFORE = { A1: '老旧小区改造120个', A2: '城区供热管网改造', T1: '农村公路养护' };
const AFTER = { A1: '老旧小区改造150个（调整）', A2: '城区供热管网及换热站改造', T1: '农村公路提档升级' };

async function sync(titles: typeof BEFORE, deadline?: string) {
  const res = await api.call('POST', '/ledger/sync', {
    body: { ledgerId: L, year: 2026, by: '李文书', tasks: tasks(titles, deadline) },
  });
  expect(res.status).toBe(200);
}

async function issue(body: Record<string, unknown>) {
  const res = await api.call('POST', '/cards', { body: { ledgerId: L, by: '李文书', ...body } });
  expect(res.status).toBe(201);
  return res.body.card as CardRecord;
}

async function download(cardId: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.host.url}/cards/${encodeURIComponent(cardId)}/document`, {
    headers: { 'x-functions-key': KEY, ...headers },
  });
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const xml = unzipDocx(bytes)['word/document.xml'] as string;
  return { headers: res.headers, xml, text: paragraphsOf(xml) };
}

beforeAll(async () => {
  api = await startApi('issued');
  await sync(BEFORE);
});
afterAll(() => api.close());

/** PUT /settings as a clerk does it: with the ETag just read (If-Match is required once settings exist). */
async function putSettings(opts: { body: unknown }) {
  const etag = (await api.call('GET', '/settings')).body.etag as string | null;
  return api.call('PUT', '/settings', { body: opts.body, headers: etag ? { 'If-Match': etag } : {} });
}

describe('R8: the letter as issued', () => {
  it('R8/R14: a 提示函 downloaded again after a task is renamed by a ledger sync and the settings change is the same letter, with the same number', async () => {
    const card = await issue({
      unit: UNIT,
      color: 'yellow',
      reason: '上报材料不及时',
      taskIds: ['A1', 'A2'],
      date: '2026-04-10',
    });
    expect(card.docNo).toBe('友政督提〔2026〕1号');
    const first = await download(card.id);
    expect(first.headers.get('x-duban-letter')).toBe('as-issued');
    expect(first.text).toEqual(expect.arrayContaining([BEFORE.A1, BEFORE.A2, '2026年12月31日']));
    expect(first.text.join('\n')).toContain('每张黄牌扣2分');

    await sync(AFTER, '2026年9月底前');
    const put = await putSettings({
      body: {
        ranking: { yellowPenalty: 3, orangePenalty: 8 },
        docPrefixes: { tishihan: '友政督函', yujing: '友政督预' },
        rectificationWorkingDays: 15,
      },
    });
    expect(put.status).toBe(200);

    const second = await download(card.id);
    expect(second.headers.get('x-duban-letter')).toBe('as-issued');
    expect(second.text).toEqual(first.text);
    expect(second.xml).toBe(first.xml);
    expect(second.text[1]).toBe('友政督提〔2026〕1号');
    expect(second.text).not.toContain(AFTER.A1);

    // The changes are real: a card issued now cites the new titles, deadline, prefix and penalty.
    const now = await issue({
      unit: UNIT,
      color: 'yellow',
      reason: '工作不到位',
      taskIds: ['A1', 'A2'],
      date: '2026-04-20',
    });
    expect(now.docNo).toBe('友政督函〔2026〕2号');
    const fresh = (await download(now.id)).text;
    expect(fresh).toEqual(expect.arrayContaining([AFTER.A1, AFTER.A2, '2026年9月底前']));
    expect(fresh.join('\n')).toContain('每张黄牌扣3分');

    await sync(BEFORE);
    await putSettings({
      body: {
        ranking: { yellowPenalty: 2, orangePenalty: 5 },
        docPrefixes: { tishihan: '友政督提', yujing: '友政督警' },
        rectificationWorkingDays: 10,
      },
    });
  });

  it('R8/R11: the 预警通知书 as issued says the interview is to come; the interview recorded later, a rename and new settings do not change it', async () => {
    const card = await issue({
      unit: OTHER,
      color: 'orange',
      reason: '工作进展缓慢',
      taskIds: ['T1'],
      date: '2026-05-06',
    });
    // 10 working days after 6 May 2026: the 9 May Saturday is a 调休 working day (R16).
    expect(card.rectifyBy).toBe('2026-05-19');
    const first = await download(card.id);
    const firstText = first.text.join('\n');
    expect(firstText).toContain(`县政府分管领导将约谈${OTHER}主要负责人`);
    expect(firstText).toContain('于2026年5月19日前（10个工作日内）完成整改');
    expect(firstText).toContain(BEFORE.T1);

    const interview = await api.call('POST', '/interviews', {
      body: {
        unit: OTHER,
        date: '2026-05-08',
        leader: '王副县长',
        interviewee: '陈局长',
        record: '约谈',
        cardId: card.id,
        by: '李文书',
      },
    });
    expect(interview.status).toBe(201);
    await sync(AFTER);
    expect((await putSettings({ body: { rectificationWorkingDays: 15 } })).status).toBe(200);

    const second = await download(card.id);
    expect(second.headers.get('x-duban-letter')).toBe('as-issued');
    expect(second.xml).toBe(first.xml);
    expect(second.text.join('\n')).not.toContain('约谈了陈局长');
    expect(second.text).not.toContain(AFTER.T1);

    await sync(BEFORE);
    await putSettings({ body: { rectificationWorkingDays: 10 } });
  });

  it('R8: a card issued before letters were kept gets its letter built from today’s tasks, settings and interviews, marked X-Duban-Letter: rebuilt', async () => {
    await sync(BEFORE);
    // Written as the earlier code wrote a card: the card row alone, no letter beside it.
    const old: Omit<CardRecord, 'etag'> = {
      id: '20260302-orange-legacy01',
      unit: UNIT,
      color: 'orange',
      reason: '工作进展缓慢',
      taskIds: ['A1'],
      ledgerId: L,
      date: '2026-03-02',
      docNo: '友政督警〔2026〕9号',
      rectifyBy: '2026-03-16',
      interviewIds: [],
      rectifiedOn: null,
      checklist: null,
      note: null,
      by: '李文书',
      at: '2026-03-02T02:00:00.000Z',
    };
    await changeUnit(api.storage, UNIT, () => ({ writes: [{ entity: cardEntity(old) }], result: null }));
    expect(await issuedLetter(api.storage, UNIT, old.id)).toBeNull();

    const first = await download(old.id, { origin: 'https://localhost:3000' });
    expect(first.headers.get('x-duban-letter')).toBe('rebuilt');
    expect(first.headers.get('access-control-expose-headers')).toContain('X-Duban-Letter');
    expect(first.text[1]).toBe('友政督警〔2026〕9号');
    expect(first.text).toContain(BEFORE.A1);
    expect(first.text.join('\n')).toContain(`县政府分管领导将约谈${UNIT}主要负责人`);

    // Rebuilt from the state of the day: the interview and the rename since show up.
    const interview = await api.call('POST', '/interviews', {
      body: {
        unit: UNIT,
        date: '2026-03-05',
        leader: '张副县长',
        interviewee: '赵局长',
        record: '约谈',
        cardId: old.id,
        by: '李文书',
      },
    });
    expect(interview.status).toBe(201);
    await sync(AFTER);
    const second = await download(old.id);
    expect(second.headers.get('x-duban-letter')).toBe('rebuilt');
    expect(second.text[1]).toBe('友政督警〔2026〕9号');
    expect(second.text).toContain(AFTER.A1);
    expect(second.text.join('\n')).toContain('2026年3月5日，县政府分管领导张副县长约谈了赵局长');
    await sync(BEFORE);
  });
});

describe('R8: how the letter is kept', () => {
  const settings = DEFAULT_SETTINGS;
  const calendar = makeCalendar(settings);
  const letterWith = (n: number, titleChars: number) =>
    cardLetter({
      card: {
        id: `big-${n}`,
        unit: '县测试局',
        color: 'yellow',
        reason: '工作不到位',
        taskIds: Array.from({ length: n }, (_, i) => `K${i}`),
        date: '2026-06-01',
        docNo: '友政督提〔2026〕99号',
      },
      tasks: Array.from({ length: n }, (_, i) => ({
        id: `K${i}`,
        no: String(i + 1),
        title: `第${i + 1}项任务：${'推进重点项目建设'.repeat(titleChars / 8)}`,
        leadUnit: '县测试局',
        supportUnits: [],
        deadline: { text: '年底前', date: null, recurrence: null },
      })),
      settings,
      calendar,
    });

  it('R8: a letter longer than one property is split into parts and read back whole, in the unit’s partition', async () => {
    const content = letterWith(40, 2000);
    const chars = JSON.stringify(content).length;
    expect(chars).toBeGreaterThan(2 * LETTER_PART_CHARS);
    const entity = letterEntity('县测试局', 'big-40', content, '2026-06-01T01:00:00.000Z');
    expect(entity.partitionKey).toBe(encodeKey('县测试局'));
    expect(entity.rowKey).toBe(letterRowKey('big-40'));
    expect(entity.parts).toBe(Math.ceil(chars / LETTER_PART_CHARS));
    for (let i = 0; i < Number(entity.parts); i++)
      expect(String(entity[`part${i}`]).length).toBeLessThanOrEqual(LETTER_PART_CHARS);
    await changeUnit(api.storage, '县测试局', () => ({ writes: [{ entity }], result: null }));
    const back = await issuedLetter(api.storage, '县测试局', 'big-40');
    expect(back?.content).toEqual(content);
    expect(back?.at).toBe('2026-06-01T01:00:00.000Z');
  });

  it('R8/R14: a card whose letter is too long to keep is refused (413, in Chinese) before a number is taken: the next card gets number 1', async () => {
    const huge = Array.from({ length: 20 }, (_, i) =>
      task(`H${i}`, {
        row: 10 + i,
        no: `9-${i + 1}`,
        title: '推进重点项目建设'.repeat(3000),
        leadUnit: '县大局',
      }),
    );
    const s = await api.call('POST', '/ledger/sync', {
      body: { ledgerId: 'huge-ledger', year: 2027, by: '李文书', tasks: huge },
    });
    expect(s.status).toBe(200);
    expect(20 * 3000 * 8).toBeGreaterThan(LETTER_MAX_CHARS);
    const res = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'huge-ledger',
        unit: '县大局',
        color: 'yellow',
        reason: '工作不到位',
        taskIds: huge.map((t) => t.id),
        date: '2027-01-15',
        by: '李文书',
      },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('letter_too_large');
    expect(res.body.error.message).toContain('请把任务分成几次亮牌');
    expect(await issuedDocNumbers(api.storage, 'tishihan', 2027)).toEqual([]);
    const next = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'huge-ledger',
        unit: '县大局',
        color: 'yellow',
        reason: '工作不到位',
        taskIds: ['H0'],
        date: '2027-01-15',
        by: '李文书',
      },
    });
    expect(next.status).toBe(201);
    expect(next.body.card.docNo).toBe('友政督提〔2027〕1号');
  });
});
