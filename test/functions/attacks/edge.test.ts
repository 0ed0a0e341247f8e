// The bad-input corpus at the API's edge: what a unit's link takes (content types, the 21st post, a
// revoked link, a closed task), the characters that break documents and batches, and the clerks'
// keys. Each attack is counted (tally.ts); every one must be refused or made harmless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApi, task, type TestApi } from '../support/api.js';
import { subjectHistory, writeTasks, listTasks } from '../../../functions/storage/index.js';
import { unzipDocx } from '../documents/docx.js';
import { main } from '../../../functions/cli/main.js';
import { reportTally, tally } from './tally.js';

reportTally('edge');

let api: TestApi;
const L = 'edge-ledger';
const UNIT = '县财政局';
let clock = new Date('2026-03-20T02:00:00Z');

async function link(taskId: string, period: string, unit = UNIT): Promise<string> {
  const res = await api.call('POST', '/feedback-links', {
    body: { ledgerId: L, unit, taskId, period, expires: '2026-12-31' },
  });
  expect(res.status).toBe(201);
  return new URL(res.body.url).pathname.replace(/^\/api/, '');
}

/** A raw POST through a link with any content type. */
async function post(path: string, body: string, type: string | null) {
  const res = await fetch(api.host.url + path, {
    method: 'POST',
    headers: type ? { 'content-type': type } : {},
    body,
  });
  const text = await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** The page's anti-forgery token, as a browser would find it in the form. */
async function csrfOf(path: string): Promise<string> {
  const page = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
  return /name="csrf" value="([^"]+)"/.exec(String(page.body))?.[1] ?? '';
}

const feedbackEvents = async (taskId: string) =>
  (await subjectHistory(api.storage, { ledgerId: L, taskId })).filter((h) => h.type === 'feedback');

beforeAll(async () => {
  api = await startApi('edge', {
    now: () => clock,
    env: { DUBAN_OFFICE_NAME: '友谊县人民政府督办检查室', DUBAN_OFFICE_PHONE: '0469-5123456' },
  });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'].map((id, i) => task(id, { row: 4 + i, leadUnit: UNIT })),
    },
  });
  expect(sync.status).toBe(200);
});
afterAll(() => api.close());

describe('R19: a link takes JSON exactly or its own page’s form; anything else is 415', () => {
  it.each([
    ['text/plain', '{"text":"x"}'],
    ['text/json', '{"text":"x"}'],
    ['application/jsonp', '{"text":"x"}'],
    ['application/json-patch+json', '{"text":"x"}'],
    ['application/json; charset=latin1', '{"text":"x"}'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nx\r\n--x--',
    ],
    ['application/xml', '<text>x</text>'],
    [null, '{"text":"x"}'],
  ])('%s → 415, nothing recorded', async (type, body) => {
    const path = await link('E1', '2026-W12');
    const res = await post(path, body, type);
    tally('content-type', res.status === 415);
    expect(res.status).toBe(415);
    expect(res.json.error.message).toBe('只接受 JSON（Content-Type: application/json）或反馈页面的表单提交');
    expect(await feedbackEvents('E1')).toHaveLength(0);
  });

  it('a form post without the page’s token, with a forged one, or with another link’s → 403, nothing recorded', async () => {
    const path = await link('E1', '2026-W12');
    const other = await link('E2', '2026-W12');
    const otherToken = await csrfOf(other);
    const [stamp] = (await csrfOf(path)).split('.');
    for (const csrf of ['', `${stamp}.AAAA`, otherToken, `${Date.now() + 3_600_000}.x`]) {
      const form = new URLSearchParams({ text: '跨站伪造', csrf }).toString();
      const res = await post(path, form, 'application/x-www-form-urlencoded');
      tally('content-type', res.status === 403);
      expect(res.status).toBe(403);
      expect(res.text).toContain('请重新打开提示消息中的链接');
    }
    expect(await feedbackEvents('E1')).toHaveLength(0);
  });

  it('a form that slips in another unit’s link or a forged one as a second task → 403, nothing recorded', async () => {
    const path = await link('E1', '2026-W12');
    const own = path.replace('/feedback/', '');
    const foreign = (await link('E2', '2026-W12', '县教育局')).replace('/feedback/', '');
    const forged = foreign.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const [second, status] of [
      [foreign, 403],
      [forged, 401],
    ] as const) {
      const form = new URLSearchParams({
        csrf: await csrfOf(path),
        'tok.0': own,
        'text.0': '本单位的反馈',
        'tok.1': second,
        'text.1': '替别的单位填报',
      }).toString();
      const res = await post(path, form, 'application/x-www-form-urlencoded');
      tally('content-type', res.status === status);
      expect(res.status).toBe(status);
    }
    expect(await feedbackEvents('E1')).toHaveLength(0);
    expect(await feedbackEvents('E2')).toHaveLength(0);
  });

  it('the page’s own form post is taken and answered with a success page', async () => {
    const path = await link('E1', '2026-W12');
    const form = new URLSearchParams({ text: '本周完成入户核查', csrf: await csrfOf(path) }).toString();
    const res = await post(path, form, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('反馈已提交');
    expect((await feedbackEvents('E1')).map((e) => e.data.text)).toEqual(['本周完成入户核查']);
    const json = await post(
      path,
      JSON.stringify({ text: '更正：入户核查完成 90%' }),
      'application/json; charset=utf-8',
    );
    expect(json.status).toBe(201);
  });
});

describe('R19: a link takes 20 posts a day; the 21st is 429 in Chinese, and the next day it works again', () => {
  it('posts 1–20 are kept (every correction in the history), the 21st is refused', async () => {
    const path = await link('E2', '2026-W12');
    for (let i = 1; i <= 20; i++) {
      const res = await api.call('POST', path, { key: null, body: { text: `第${i}次更正` } });
      expect(res.status, `post ${i}`).toBe(201);
    }
    const last = await api.call('POST', path, { key: null, body: { text: '第21次' } });
    tally('rate', last.status === 429);
    expect(last.status).toBe(429);
    expect(last.body.error.message).toMatch(/^此链接今日已提交 20 次，已达上限，请明天再提交/);
    const events = await feedbackEvents('E2');
    expect(events).toHaveLength(20);
    const list = await api.call('GET', `/feedback?ledgerId=${L}&since=2026-03-20T00:00:00.000Z`);
    const e2 = list.body.feedback.filter((f: { taskId: string }) => f.taskId === 'E2');
    expect(e2).toHaveLength(20);
    clock = new Date('2026-03-21T02:00:00Z');
    try {
      const next = await api.call('POST', path, { key: null, body: { text: '次日补充' } });
      expect(next.status).toBe(201);
    } finally {
      clock = new Date('2026-03-20T02:00:00Z');
    }
  });
});

describe('R19: the office revokes a unit’s links; an old link gets a clear page, a new one works', () => {
  it('revoked → 410 with whom to call; JSON and page alike; the unit’s history names the revocation', async () => {
    const old = await link('E3', '2026-W12');
    expect((await api.call('POST', old, { key: null, body: { text: '撤销前' } })).status).toBe(201);
    const revoke = await api.call('POST', `/units/${encodeURIComponent(UNIT)}/links/revoke`, { body: {} });
    expect(revoke.status).toBe(200);
    expect(revoke.body.generation).toBeGreaterThanOrEqual(1);
    const json = await api.call('POST', old, { key: null, body: { text: '泄露的链接' } });
    tally('revoked', json.status === 410);
    expect(json.status).toBe(410);
    expect(json.body.error.message).toBe(
      '此反馈链接已被友谊县人民政府督办检查室作废，请使用最新提示消息中的链接',
    );
    const page = await api.call('GET', old, { key: null, headers: { accept: 'text/html' } });
    tally('revoked', page.status === 410);
    expect(page.status).toBe(410);
    expect(String(page.body)).toContain('链接已作废');
    expect(String(page.body)).toContain('href="tel:0469-5123456"');
    const form = await post(
      old,
      new URLSearchParams({ text: 'x', csrf: 'y' }).toString(),
      'application/x-www-form-urlencoded',
    );
    tally('revoked', form.status === 410);
    expect(form.status).toBe(410);
    expect((await feedbackEvents('E3')).map((e) => e.data.text)).toEqual(['撤销前']);
    const fresh = await link('E3', '2026-W12');
    expect((await api.call('POST', fresh, { key: null, body: { text: '新链接' } })).status).toBe(201);
    const unitHistory = await subjectHistory(api.storage, { unit: UNIT });
    expect(unitHistory.some((h) => h.type === 'links-revoked')).toBe(true);
  });
});

describe('R18/R19: feedback on a task closed or removed meanwhile is answered clearly and not counted', () => {
  it('closed → 409 saying so, page and JSON; nothing recorded', async () => {
    const path = await link('E4', '2026-W12');
    const close = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['E4'], date: '2026-03-19', note: '已完成验收', by: '李文书' },
    });
    expect(close.status).toBe(200);
    const res = await api.call('POST', path, { key: null, body: { text: '迟到的反馈' } });
    tally('closed', res.status === 409);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('该任务已于 2026-03-19 销号，本次反馈不再计入，无需填报');
    const page = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
    expect(page.status).toBe(409);
    expect(String(page.body)).toContain('任务已销号');
    expect(await feedbackEvents('E4')).toHaveLength(0);
  });

  it('removed from the ledger → 409 saying so; nothing recorded', async () => {
    const path = await link('E5', '2026-W12');
    const all = ['E1', 'E2', 'E3', 'E4', 'E6'].map((id, i) => task(id, { row: 4 + i, leadUnit: UNIT }));
    const sync = await api.call('POST', '/ledger/sync', {
      body: { ledgerId: L, year: 2026, by: '李文书', tasks: all },
    });
    expect(sync.status).toBe(200);
    const res = await api.call('POST', path, { key: null, body: { text: '任务已删' } });
    tally('closed', res.status === 409);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/从台账中移除，本次反馈不再计入/);
    expect(await feedbackEvents('E5')).toHaveLength(0);
  });
});

const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/; // eslint-disable-line no-control-regex

describe('R19/R8: characters that break documents or history batches', () => {
  it.each([
    ['U+FFFE', '进展\uFFFE正常', '进展正常'],
    ['U+FFFF', '进展\uFFFF正常', '进展正常'],
    ['lone high surrogate', '进展\uD800正常', '进展\uFFFD正常'],
    ['lone low surrogate', '进展\uDC00正常', '进展\uFFFD正常'],
    ['U+2028', '第一行\u2028第二行', '第一行\n第二行'],
    ['U+2029', '第一段\u2029第二段', '第一段\n第二段'],
    ['C0 control', '进展\u0001\u0008\u000B正常', '进展正常'],
    ['U+FDD0 noncharacter', '进展\uFDD0正常', '进展正常'],
  ])('feedback with %s: stored cleaned, and its history event lands with it', async (_name, text, stored) => {
    const path = await link('E6', `2026-W${10 + Math.floor(Math.random() * 40)}`);
    const before = (await feedbackEvents('E6')).length;
    const res = await api.call('POST', path, { key: null, body: { text } });
    const events = await feedbackEvents('E6');
    const ok = res.status === 201 && res.body.feedback.text === stored && events.length === before + 1;
    tally('characters', ok);
    expect(res.status).toBe(201);
    expect(res.body.feedback.text).toBe(stored);
    expect(events).toHaveLength(before + 1);
  });

  it.each([
    ['U+2028', '县\u2028财政局'],
    ['U+FFFF', '县财政局\uFFFF'],
    ['lone surrogate', '县\uD800财政局'],
  ])('a unit name with %s → 400 naming it, never silently another unit', async (_name, unit) => {
    // In a JSON body (a lone surrogate cannot be percent-encoded in a path).
    const res = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit, color: 'yellow', reason: '工作不到位', taskIds: ['E1'], by: '李文书' },
    });
    tally('characters', res.status === 400);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/控制字符|无效字符/);
    if (!unit.includes('\uD800')) {
      const put = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, { body: { channels: [] } });
      tally('characters', put.status === 400);
      expect(put.status).toBe(400);
    }
  });

  it('text stored before the edge cleaned it is cleaned again when a document is rendered: the .docx is valid XML', async () => {
    const [stored] = (await listTasks(api.storage, L)).filter((t) => t.task.id === 'E1');
    const { etag, ledgerId: _l, ...next } = stored!;
    await writeTasks(api.storage, L, [
      { next: { ...next, task: { ...next.task, title: '老旧小区\uFFFE改造\u0001工程\u000B' } }, etag },
    ]);
    const res = await fetch(`${api.host.url}/roundup/document?ledgerId=${L}&period=2026-Q1&asOf=2026-04-08`, {
      headers: { 'x-functions-key': KEY },
    });
    expect(res.status).toBe(200);
    const xml = unzipDocx(new Uint8Array(await res.arrayBuffer()))['word/document.xml'] ?? '';
    tally('characters', !XML_FORBIDDEN.test(xml));
    expect(XML_FORBIDDEN.test(xml)).toBe(false);
    expect(xml).toContain('老旧小区改造工程');
  });
});

describe('R8: a key per clerk; who did what is taken from the key', () => {
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
  /** A clerk added with `duban clerk add`: the key it printed, once. */
  const addClerk = async (name: string): Promise<string> => {
    out.length = 0;
    expect(await main(['clerk', 'add', name], io)).toBe(0);
    const key = out.find((l) => l.startsWith('dbk_')) ?? '';
    expect(key).toMatch(/^dbk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    return key;
  };
  beforeAll(() => {
    Object.assign(process.env, {
      DUBAN_STORAGE: api.storage.options.connectionString,
      DUBAN_TABLE_PREFIX: api.prefix,
    });
  });

  it('`duban clerk add 王文书` prints the key once; only its hash is stored', async () => {
    const key = await addClerk('王文书');
    const rows = await api.storage.listPartition('Config', 'clerk');
    // The secret is everything after `dbk_<id>_` (43 characters of base64url, which may hold `_`).
    const secret = key.slice('dbk_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(key);
    out.length = 0;
    expect(await main(['clerk', 'list'], io)).toBe(0);
    expect(out.join('\n')).toContain('王文书');
    expect(out.join('\n')).toContain('有效');
  });

  it('the clerk’s key works, `by` comes from it whatever the body says, and /whoami names the clerk', async () => {
    const key = await addClerk('赵文书');
    const who = await api.call('GET', '/whoami', { key });
    expect(who.body).toEqual({ role: 'clerk', clerk: '赵文书' });
    expect((await api.call('GET', '/whoami')).body).toEqual({ role: 'office', clerk: null });
    const stars = await api.call('POST', '/stars', {
      key,
      body: { ledgerId: L, taskIds: ['E6'], stars: 4, by: '冒名的人' },
    });
    expect(stars.status).toBe(200);
    // With a clerk key issued, the office-wide key no longer writes: every change names its clerk.
    const officeWrite = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: ['E6'], stars: 5, by: '冒名的人' },
    });
    tally('clerk-key', officeWrite.status === 403);
    expect(officeWrite.status).toBe(403);
    expect(officeWrite.body.error.code).toBe('clerk_key_required');
    const history = await subjectHistory(api.storage, { ledgerId: L, taskId: 'E6' });
    const starEvent = history.filter((h) => h.type === 'stars').pop();
    tally('clerk-key', starEvent?.by === '赵文书');
    expect(starEvent?.by).toBe('赵文书');
    const contacts = await api.call('PUT', `/units/${encodeURIComponent('县审计局')}`, {
      key,
      body: { channels: [] },
    });
    expect(contacts.status).toBe(200);
    const unitEvents = await subjectHistory(api.storage, { unit: '县审计局' });
    expect(unitEvents.map((e) => e.by)).toEqual(['赵文书']);
  });

  it('a wrong secret, a made-up id, a revoked key and the key in ?code= are 401', async () => {
    const key = await addClerk('钱文书');
    // `dbk_<id>_<secret>`: the secret is base64url and may itself hold `_`.
    const [, id, secret] = /^dbk_([0-9a-f]{12})_(.{43})$/.exec(key) ?? [];
    const wrong = `dbk_${id}_${secret!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    const madeUp = `dbk_000000000000_${secret}`;
    for (const k of [wrong, madeUp]) {
      const res = await api.call('GET', '/whoami', { key: k });
      tally('clerk-key', res.status === 401);
      expect(res.status).toBe(401);
    }
    const viaQuery = await api.call('GET', `/whoami?code=${encodeURIComponent(key)}`, { key: null });
    tally('clerk-key', viaQuery.status === 401);
    expect(viaQuery.status).toBe(401);
    out.length = 0;
    expect(await main(['clerk', 'revoke', '钱文书'], io)).toBe(0);
    expect(out.join('\n')).toContain('已吊销「钱文书」的 1 个密钥');
    const revoked = await api.call('GET', '/whoami', { key });
    tally('clerk-key', revoked.status === 401);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toBe('访问密钥不正确或已被吊销，请向管理员重新申请');
  });
});
