// GET /api/cards/{cardId}/document and GET /api/roundup/document end to end: the dev host over real HTTP,
// the real handlers, Azurite; the answer is a .docx a clerk saves under its Chinese name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from '../support/api.js';
import { DOCX_TYPE } from '../../../functions/documents/respond.js';
import { paragraphsOf, unzipDocx } from './docx.js';

let api: TestApi;
const L = 'docs-ledger';
const UNIT = '县住建局';

/** A GET answered as bytes (the support client reads text, which would spoil a zip). */
async function download(path: string, headers: Record<string, string> = { 'x-functions-key': KEY }) {
  const res = await fetch(api.host.url + path, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

/** The file name the browser saves under: filename* (RFC 5987), decoded. */
function savedName(disposition: string | null): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? '');
  return m ? decodeURIComponent(m[1] as string) : '';
}

const docText = (bytes: Buffer) => paragraphsOf(unzipDocx(bytes)['word/document.xml'] as string);

let yellowId = '';
let orangeId = '';
let redId = '';

beforeAll(async () => {
  api = await startApi('docs');
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('A1', {
          row: 4,
          no: '1',
          title: '老旧小区改造120个',
          leadUnit: UNIT,
          supportUnits: ['县财政局'],
        }),
        task('A2', {
          row: 5,
          no: '2',
          title: '城区供热管网改造',
          leadUnit: UNIT,
          supportUnits: ['县发改局'],
        }),
        task('B1', {
          row: 6,
          no: '3',
          title: '水库除险加固',
          leadUnit: '县水利局',
          deadline: { text: '2026年3月10日', date: '2026-03-10', recurrence: null },
        }),
      ],
    },
  });
  expect(sync.status).toBe(200);
  const card = async (color: string, reason: string, taskIds: string[], date: string) => {
    const res = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit: UNIT, color, reason, taskIds, date, by: '李文书' },
    });
    expect(res.status).toBe(201);
    return res.body.card.id as string;
  };
  yellowId = await card('yellow', '上报材料不及时', ['A2'], '2026-02-10');
  orangeId = await card('orange', '工作进展缓慢', ['A1', 'A2'], '2026-03-02');
  const interview = (date: string, cardId?: string) =>
    api.call('POST', '/interviews', {
      body: {
        unit: UNIT,
        date,
        leader: '张副县长',
        interviewee: '赵局长',
        record: '约谈',
        cardId,
        by: '李文书',
      },
    });
  expect((await interview('2026-03-05', orangeId)).status).toBe(201);
  const second = await interview('2026-06-10');
  expect(second.status).toBe(201);
  redId = second.body.red.id;
});
afterAll(() => api.close());

describe('GET /api/cards/{cardId}/document', () => {
  it('R14: a yellow card’s 提示函 downloads as 友政督提〔2026〕1号.docx with the number, unit and task inside', async () => {
    const res = await download(`/cards/${encodeURIComponent(yellowId)}/document`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(DOCX_TYPE);
    expect(savedName(res.headers.get('content-disposition'))).toBe('友政督提〔2026〕1号.docx');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tishihan-[^"]+\.docx"; filename\*=UTF-8''/,
    );
    const text = docText(res.bytes);
    expect(text.slice(0, 4)).toEqual([
      '友谊县人民政府督办检查室',
      '友政督提〔2026〕1号',
      '重点工作督办提示函',
      `${UNIT}：`,
    ]);
    expect(text).toContain('城区供热管网改造');
    expect(text).not.toContain('老旧小区改造120个');
    expect(text.join('\n')).toContain('2026年2月10日');
  });

  it('R11: an orange card’s 预警通知书 goes to the lead and responsible units, with the interview to come and the 限期整改 date (R8: as issued, before the interview)', async () => {
    const res = await download(`/cards/${encodeURIComponent(orangeId)}/document`);
    expect(res.status).toBe(200);
    expect(savedName(res.headers.get('content-disposition'))).toBe('友政督警〔2026〕1号.docx');
    const text = docText(res.bytes);
    expect(text.slice(1, 4)).toEqual([
      '友政督警〔2026〕1号',
      '重点工作督办预警通知书',
      `${UNIT}、县财政局、县发改局：`,
    ]);
    const all = text.join('\n');
    expect(res.headers.get('x-duban-letter')).toBe('as-issued');
    expect(all).toContain(`按照规定，县政府分管领导将约谈${UNIT}主要负责人，约谈记录报县委、县政府。`);
    expect(all).not.toContain('约谈了赵局长');
    expect(all).toContain('于2026年3月16日前（10个工作日内）完成整改');
    expect(text).toEqual(expect.arrayContaining(['老旧小区改造120个', '城区供热管网改造']));
  });

  it('R12: a red card has no letter: 409 saying what follows a red card, in Chinese', async () => {
    const res = await download(`/cards/${encodeURIComponent(redId)}/document`);
    expect(res.status).toBe(409);
    expect(res.json().error.code).toBe('no_letter_for_red');
    expect(res.json().error.message).toContain('通报批评');
  });

  it('R12: the red card’s 通报批评 draft: in the name of 县政府办公室, number left for it to fill, both interviews and the letters named', async () => {
    const res = await download(`/cards/${encodeURIComponent(redId)}/document?doc=tongbao`);
    expect(res.status).toBe(200);
    expect(savedName(res.headers.get('content-disposition'))).toBe(`通报批评（${UNIT}，草稿）.docx`);
    const text = docText(res.bytes);
    expect(text.slice(0, 4)).toEqual([
      '友谊县人民政府办公室',
      '友政办通〔2026〕　　号',
      `关于对${UNIT}予以通报批评的通报`,
      '各乡（镇）人民政府、县政府各部门：',
    ]);
    const all = text.join('\n');
    // The history it is built from: the yellow and orange cards with their letters' numbers, both interviews.
    expect(all).toContain(
      '2026年2月10日，因上报材料不及时、未按规定时限报送工作进展被亮黄牌，县政府督办检查室下发《重点工作督办提示函》（友政督提〔2026〕1号）',
    );
    expect(all).toContain('《重点工作督办预警通知书》（友政督警〔2026〕1号）');
    expect(all).toContain('2026年3月5日，县政府分管领导张副县长约谈赵局长');
    expect(all).toContain('2026年6月10日，县政府分管领导张副县长约谈赵局长');
    expect(all).toContain(`决定对${UNIT}予以全县通报批评`);
    // The tasks the cards cited, with where they stand.
    expect(text).toEqual(expect.arrayContaining(['老旧小区改造120个', '城区供热管网改造', '未反馈进展']));
  });

  it('R12: the red card’s 专题报告 to 县委, numbered when the office gives a number', async () => {
    const res = await download(`/cards/${encodeURIComponent(redId)}/document?doc=zhuanti&no=4`);
    expect(res.status).toBe(200);
    const text = docText(res.bytes);
    expect(text.slice(1, 4)).toEqual([
      '友政督专〔2026〕4号',
      `关于${UNIT}被亮红牌有关情况的专题报告`,
      '中共友谊县委员会：',
    ]);
    expect(text.join('\n')).toContain('被县政府分管领导约谈2次');
    expect(text).toContain('特此报告。');
    // Asked of a yellow card: refused, in Chinese.
    const wrong = await download(`/cards/${encodeURIComponent(yellowId)}/document?doc=zhuanti`);
    expect(wrong.status).toBe(400);
    expect(wrong.json().error.message).toContain('只随红牌生成');
  });

  it('404 for an unknown card, 401 without the key or with a wrong one', async () => {
    const missing = await download('/cards/no-such-card/document');
    expect(missing.status).toBe(404);
    expect(missing.json().error).toEqual({ code: 'not_found', message: '牌 no-such-card 不存在' });
    const noKey = await download(`/cards/${encodeURIComponent(yellowId)}/document`, {});
    expect(noKey.status).toBe(401);
    expect(noKey.json().error.code).toBe('missing_key');
    const wrong = await download(`/cards/${encodeURIComponent(yellowId)}/document`, {
      'x-functions-key': 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error.code).toBe('wrong_key');
  });

  it('lets the task pane (another origin) read the file name', async () => {
    const res = await download(`/cards/${encodeURIComponent(yellowId)}/document`, {
      'x-functions-key': KEY,
      origin: 'https://localhost:3000',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
  });
});

describe('GET /api/roundup/document', () => {
  it('R21: the round-up report of 2026-Q1, units in the rank order GET /api/roundup gives', async () => {
    const q = `ledgerId=${L}&period=2026-Q1&asOf=2026-04-08`;
    const json = await api.call('GET', `/roundup?${q}`);
    expect(json.status).toBe(200);
    // The answer's order: ranked units by rank, then those with nothing due (listed apart, rank null).
    const ranked = json.body.units.map((u: { unit: string }) => u.unit);
    expect(ranked).toHaveLength(2);
    const res = await download(`/roundup/document?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(DOCX_TYPE);
    expect(savedName(res.headers.get('content-disposition'))).toBe('督检汇总报告（2026年第一季度）.docx');
    const text = docText(res.bytes);
    expect(text.slice(0, 4)).toEqual([
      '友谊县人民政府督办检查室',
      '友政督报〔2026〕1号',
      '关于2026年第一季度重点工作督检情况的汇总报告',
      '县人民政府：',
    ]);
    // The per-unit detail is the 附件, in the same order.
    expect(text).toContain('附件：2026年第一季度各牵头单位重点工作督检情况');
    const sections = text.filter((p) => /^（[一二]）/.test(p));
    expect(sections.map((p) => p.replace(/^（.）(.+?)（(第|本期).*$/, '$1'))).toEqual(ranked);
    const all = text.join('\n');
    expect(all).toContain('超期未完成：第3项“水库除险加固”（完成时限2026年3月10日）。');
    expect(all).toContain('被亮橙牌（友政督警〔2026〕1号）');
  });

  it('takes the same query as GET /api/roundup: the same Chinese errors for a bad period or an unknown ledger, 401 without the key', async () => {
    const bad = await download(`/roundup/document?ledgerId=${L}&period=2026-13`);
    const badJson = await api.call('GET', `/roundup?ledgerId=${L}&period=2026-13`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual(badJson.body);
    expect(bad.json().error.message).toContain('汇总周期应为 2026-Q1');
    const unknown = await download('/roundup/document?ledgerId=nope&period=2026-Q1');
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('ledger_not_found');
    const noKey = await download(`/roundup/document?ledgerId=${L}&period=2026-Q1`, {});
    expect(noKey.status).toBe(401);
  });
});
