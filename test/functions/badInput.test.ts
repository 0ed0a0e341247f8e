// Bad input gets the right status and a clear Chinese message, and changes nothing in storage.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import azf from '@azure/functions';
import { request as httpRequest } from 'node:http';
import { MAX_BODY_BYTES } from '../../shared/api.js';
import { KEY, snapshot, startApi, task, type TestApi } from './support/api.js';

let api: TestApi;
const L = 'bad-ledger';
/** The storage as it was when the running test began: a refused request leaves it exactly so. */
let before = '';

beforeAll(async () => {
  api = await startApi('bad');
  const res = await api.call('POST', '/ledger/sync', {
    body: { ledgerId: L, year: 2026, by: '李文书', tasks: [task('T1', { row: 4 })] },
  });
  expect(res.status).toBe(200);
});
beforeEach(async () => {
  before = await snapshot(api.storage);
});
afterAll(() => api.close());

const CHINESE = /[\u4e00-\u9fff]/;

async function expectRefused(
  res: { status: number; body: { error?: { code: string; message: string } } },
  status: number,
) {
  expect(res.status).toBe(status);
  expect(res.body.error?.code).toBeTruthy();
  expect(res.body.error?.message).toMatch(CHINESE);
  expect(await snapshot(api.storage)).toBe(before);
}

describe('the function key', () => {
  it('missing key → 401 asking for x-functions-key', async () => {
    const res = await api.call('POST', '/stars', {
      key: null,
      body: { ledgerId: L, taskIds: ['T1'], stars: 4, by: '李文书' },
    });
    await expectRefused(res, 401);
    expect(res.body.error.message).toContain('x-functions-key');
  });

  it('wrong key → 401; the key in ?code= is refused (it would land in logs), saying so', async () => {
    await expectRefused(
      await api.call('POST', '/stars', {
        key: 'wrong',
        body: { ledgerId: L, taskIds: ['T1'], stars: 4, by: '李文书' },
      }),
      401,
    );
    const viaCode = await api.call('GET', `/tasks?ledgerId=${L}&code=${KEY}`, { key: null });
    expect(viaCode.status).toBe(401);
    expect(viaCode.body.error.message).toContain('不接受网址中的 ?code= 密钥');
    const wrongCode = await api.call('GET', `/tasks?ledgerId=${L}&code=nope`, { key: null });
    expect(wrongCode.status).toBe(401);
  });

  it('reads need the key too', async () => {
    for (const path of ['/units', '/settings', `/tasks?ledgerId=${L}`, '/outbox', '/history?unit=x']) {
      expect((await api.call('GET', path, { key: null })).status, path).toBe(401);
    }
  });
});

describe('request bodies', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const res = await api.call('POST', '/stars', { raw: '{"ledgerId": "bad-ledger", "taskIds": [' });
    await expectRefused(res, 400);
    expect(res.body.error).toMatchObject({ code: 'invalid_json' });
    expect(res.body.error.message).toContain('不是有效的 JSON');
    // Chinese only: the parser's English stays in the log.
    expect(res.body.error.message).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
  });

  it('an empty body → 400', async () => {
    await expectRefused(await api.call('POST', '/cards', { raw: '' }), 400);
  });

  it('wrong types → 400 naming the field', async () => {
    const res = await api.call('POST', '/stars', {
      body: { ledgerId: L, taskIds: 'T1', stars: 6, by: '李文书' },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('taskIds');
    expect(res.body.error.message).toContain('stars');
  });

  it('a bad row deep in a sync names its index and field', async () => {
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [task('T1', { row: 4 }), { ...task('T2'), row: 'five' }],
      },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('tasks[1].row');
  });

  it('an invalid date → 400 with the date rule in Chinese', async () => {
    const res = await api.call('POST', '/interviews', {
      body: { unit: '县财政局', date: '2026-02-30', leader: '张副县长', interviewee: '赵局长', by: '李文书' },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('不是有效的日期');
  });

  it('an oversized body → 413 before anything is read into storage', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, 0x20);
    const res = await api.call('POST', '/ledger/sync', { raw: big });
    await expectRefused(res, 413);
    expect(res.body.error.message).toContain('请求体过大');
  });

  it('dev host: a caller without the key gets 401 for a 9 MB body — the key is checked before the body is kept', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, 0x20);
    const res = await api.call('POST', '/ledger/sync', { raw: big, key: null });
    await expectRefused(res, 401);
  });

  it('dev host: an upload that never ends is cut off past twice the limit instead of being read forever', async () => {
    const url = new URL(api.host.url + '/ledger/sync');
    const sent = await new Promise<number>((resolve) => {
      let written = 0;
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'x-functions-key': KEY,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
      });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(written);
      };
      req.on('error', finish);
      req.on('close', finish);
      req.on('response', (r) => {
        r.resume();
        r.on('close', finish);
      });
      const pump = () => {
        while (!done && written < 6 * MAX_BODY_BYTES) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!done) req.end();
      };
      pump();
    });
    expect(sent).toBeLessThan(6 * MAX_BODY_BYTES);
    expect(await snapshot(api.storage)).toBe(before);
  });

  it('the handler itself refuses an oversized body (under `func`, where no dev host reads it first)', async () => {
    const { syncLedger } = await import('../../functions/http/syncLedger.js');
    const req = new azf.HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/ledger/sync',
      headers: { 'x-functions-key': KEY, 'content-type': 'application/json' },
      body: { bytes: new Uint8Array(MAX_BODY_BYTES + 1) },
    });
    const res = await syncLedger(req, new azf.InvocationContext());
    expect(res.status).toBe(413);
    expect(JSON.parse(String(res.body)).error.code).toBe('body_too_large');
    expect(await snapshot(api.storage)).toBe(before);
  });

  it('a ledger row longer than a stored task can hold → 413 naming the row', async () => {
    const res = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [task('T1', { row: 4 }), task('T9', { row: 12, measures: '措'.repeat(40_000) })],
      },
    });
    await expectRefused(res, 413);
    expect(res.body.error.message).toContain('第 12 行');
  });

  it('a non-JSON content type → 415', async () => {
    const res = await api.call('POST', '/stars', {
      raw: 'ledgerId=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectRefused(res, 415);
  });
});

describe('unknown ids and routes', () => {
  it('unknown task ids → 404 naming them', async () => {
    const res = await api.call('POST', '/tasks/close', {
      body: { ledgerId: L, taskIds: ['T1', 'GHOST'], date: '2026-05-01', note: '完成', by: '李文书' },
    });
    await expectRefused(res, 404);
    expect(res.body.error.message).toContain('GHOST');
  });

  it('an unknown ledger → 404', async () => {
    await expectRefused(await api.call('GET', '/candidates?ledgerId=nope'), 404);
    await expectRefused(
      await api.call('POST', '/stars', {
        body: { ledgerId: 'nope', taskIds: ['T1'], stars: 3, by: '李文书' },
      }),
      404,
    );
  });

  it('an unknown card → 404; an unknown route → 404; a wrong method → 405', async () => {
    await expectRefused(await api.call('GET', '/cards/none'), 404);
    await expectRefused(await api.call('GET', '/nothing-here'), 404);
    await expectRefused(await api.call('DELETE', '/cards'), 405);
  });
});

describe('unit names with characters Table Storage forbids in keys', () => {
  it('`县/局#?` is stored under an encoded key and reads back exactly', async () => {
    const unit = '县/局#?\\';
    const put = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { head: '周局长', channels: [{ kind: 'email', to: 'a@b.cn' }] },
    });
    expect(put.status).toBe(200);
    const got = await api.call('GET', `/units/${encodeURIComponent(unit)}`);
    expect(got.body).toMatchObject({ unit, head: '周局长', channels: [{ kind: 'email', to: 'a@b.cn' }] });
    const card = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit, color: 'yellow', reason: '工作不到位', date: '2026-04-01', by: '李文书' },
    });
    expect(card.status).toBe(201);
    const states = await api.call('GET', '/units?asOf=2026-04-01');
    expect(states.body.units.map((u: { unit: string }) => u.unit)).toContain(unit);
    const history = await api.call('GET', `/history?unit=${encodeURIComponent(unit)}`);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['contacts', 'card']);
  });

  it('task ids and ledger ids with `/ \\ # ?` are stored under encoded keys and found again', async () => {
    const ledgerId = 'a/b#?\\';
    const sync = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId,
        year: 2026,
        by: '李文书',
        tasks: [task('X/1#?', { row: 4 }), task("X'2|!%", { row: 5 })],
      },
    });
    expect(sync.status).toBe(200);
    const stars = await api.call('POST', '/stars', {
      body: { ledgerId, taskIds: ['X/1#?', "X'2|!%"], stars: 4, by: '李文书' },
    });
    expect(stars.body.changes.map((c: { taskId: string }) => c.taskId)).toEqual(['X/1#?', "X'2|!%"]);
    const listed = await api.call('GET', `/tasks?ledgerId=${encodeURIComponent(ledgerId)}`);
    expect(listed.body.tasks.map((t: { id: string; stars: number }) => [t.id, t.stars])).toEqual([
      ['X/1#?', 4],
      ["X'2|!%", 4],
    ]);
    const history = await api.call(
      'GET',
      `/history?ledgerId=${encodeURIComponent(ledgerId)}&taskId=${encodeURIComponent('X/1#?')}`,
    );
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['stars']);
  });

  it('a `/` left encoded in the route value (as the Functions host gives it) still names the unit', async () => {
    const put = await api.call('PUT', `/units/${encodeURIComponent('乡/镇#?\\')}`, {
      body: { head: '周局长', channels: [{ kind: 'email', to: 'a@b.cn' }] },
    });
    expect(put.status).toBe(200);
    const { default: unitFunction } = await import('../../functions/http/unit.js');
    const req = new azf.HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/units/x',
      headers: { 'x-functions-key': KEY },
      params: { unit: '乡%2F镇#?%5C' },
    });
    const res = await unitFunction.handler(req, new azf.InvocationContext());
    expect(res.status).toBe(200);
    expect(JSON.parse(String(res.body))).toMatchObject({ unit: '乡/镇#?\\', head: '周局长' });
  });

  it('ids over 100 characters (171 × `#`, 200 × 县, a 200 × `/` ledger id: storage 500s before) → 400 naming the field, nothing stored', async () => {
    for (const id of ['#'.repeat(171), '县'.repeat(200)]) {
      const long = await api.call('POST', '/ledger/sync', {
        body: { ledgerId: L, year: 2026, by: '李文书', tasks: [task(id, { row: 4 })] },
      });
      await expectRefused(long, 400);
      expect(long.body.error.message).toContain('tasks[0].id');
      expect(long.body.error.message).toContain('最多 100 字');
    }
    const ledger = await api.call('POST', '/ledger/sync', {
      body: { ledgerId: '/'.repeat(200), year: 2026, by: '李文书', tasks: [task('T1', { row: 4 })] },
    });
    await expectRefused(ledger, 400);
    expect(ledger.body.error.message).toContain('ledgerId');
  });

  it('a ledger id of 100 × `/` (300 characters encoded) with a 督办编号 of 100 × `#` → 400 naming the row; 100 × 县 fits and is stored', async () => {
    const slashes = '/'.repeat(100);
    const both = await api.call('POST', '/ledger/sync', {
      body: { ledgerId: slashes, year: 2026, by: '李文书', tasks: [task('#'.repeat(100), { row: 5 })] },
    });
    await expectRefused(both, 400);
    expect(both.body.error.message).toContain('第 5 行的督办编号');
    const unit = await api.call('POST', '/ledger/sync', {
      body: {
        ledgerId: L,
        year: 2026,
        by: '李文书',
        tasks: [task('T1', { row: 4 }), task('T2', { row: 6, leadUnit: '#'.repeat(200) })],
      },
    });
    await expectRefused(unit, 400);
    expect(unit.body.error.message).toContain('第 6 行的牵头单位');
    const han = '县'.repeat(100);
    const fits = await api.call('POST', '/ledger/sync', {
      body: { ledgerId: '台'.repeat(100), year: 2026, by: '李文书', tasks: [task(han, { row: 4 })] },
    });
    expect(fits.status).toBe(200);
    const listed = await api.call('GET', `/tasks?ledgerId=${encodeURIComponent('台'.repeat(100))}`);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toEqual([han]);
  });

  it('a unit name with control characters → 400, nothing stored', async () => {
    const res = await api.call('POST', '/cards', {
      body: { ledgerId: L, unit: '县\u0007局', color: 'yellow', reason: '工作不到位', by: '李文书' },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('控制字符');
    const put = await api.call('PUT', `/units/${encodeURIComponent('县\u0001局')}`, {
      body: { channels: [] },
    });
    await expectRefused(put, 400);
  });

  it('a channel with a bad address → 400 naming the field', async () => {
    const res = await api.call('PUT', `/units/${encodeURIComponent('县财政局')}`, {
      body: { channels: [{ kind: 'email', to: 'not-an-address' }] },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('channels[0]');
  });
});

describe('paging', () => {
  it('a continuation token that is not one of ours → 400', async () => {
    const res = await api.call(
      'GET',
      `/history?unit=${encodeURIComponent('县财政局')}&continuation=not-a-token`,
    );
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('翻页标记');
  });

  it('R17: the outbox list refuses a continuation token that is not one of ours with the same 400', async () => {
    const res = await api.call('GET', '/outbox?continuation=not-a-token');
    await expectRefused(res, 400);
    expect(res.body.error.message).toContain('翻页标记');
  });
});
