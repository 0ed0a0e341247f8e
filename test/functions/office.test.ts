// Settings, the holiday calendar, unit contacts and channels: read-modify-write with ETags (412 when stale).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, task, type TestApi } from './support/api.js';
import { getUnitContacts } from '../../functions/storage/index.js';

let api: TestApi;

beforeAll(async () => {
  api = await startApi('office');
});
afterAll(() => api.close());

describe('settings', () => {
  it('GET gives the defaults of docs/rules.md before the office changes anything', async () => {
    const res = await api.call('GET', '/settings');
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({
      rectificationWorkingDays: 10,
      redInterviewCount: 2,
      redWindow: 'calendar',
      laggingThreshold: 0.8,
    });
    expect(res.body.etag).toBeNull();
  });

  it('R11: PUT changes only the fields sent, and the rules use them (rectification deadline of 5 working days)', async () => {
    const put = await api.call('PUT', '/settings', { body: { rectificationWorkingDays: 5 } });
    expect(put.status).toBe(200);
    expect(put.body.settings).toMatchObject({ rectificationWorkingDays: 5, redInterviewCount: 2 });
    await api.call('POST', '/ledger/sync', {
      body: { ledgerId: 'S', year: 2026, by: '李文书', tasks: [task('T1', { leadUnit: '县林业局' })] },
    });
    const card = await api.call('POST', '/cards', {
      body: {
        ledgerId: 'S',
        unit: '县林业局',
        color: 'orange',
        reason: '工作进展缓慢',
        taskIds: ['T1'],
        date: '2026-03-02',
        by: '李文书',
      },
    });
    expect(card.body.card.rectifyBy).toBe('2026-03-09');
    const second = await api.call('PUT', '/settings', {
      body: { docPrefixes: { tishihan: '友政督提', yujing: '友督警' } },
      headers: { 'If-Match': put.body.etag },
    });
    expect(second.body.settings).toMatchObject({
      rectificationWorkingDays: 5,
      docPrefixes: { yujing: '友督警' },
    });
  });

  it('R15/R13: a nested field sent alone changes alone — schedule.four.send and cardColors.orange keep the office’s values', async () => {
    const etag0 = (await api.call('GET', '/settings')).body.etag as string | null;
    const first = await api.call('PUT', '/settings', {
      body: { schedule: { four: { send: 6 } }, cardColors: { orange: '#FF9900' } },
      headers: etag0 ? { 'if-match': etag0 } : {},
    });
    expect(first.status).toBe(200);
    expect(first.body.settings.schedule.four.send).toBe(6);
    const second = await api.call('PUT', '/settings', {
      body: { schedule: { three: { send: 9 } }, cardColors: { yellow: '#FFEE00' } },
      headers: { 'if-match': first.body.etag },
    });
    expect(second.status).toBe(200);
    expect(second.body.settings.schedule.three.send).toBe(9);
    expect(second.body.settings.schedule.four.send).toBe(6);
    expect(second.body.settings.schedule.three.feedback).toBe(3);
    expect(second.body.settings.cardColors).toMatchObject({ yellow: '#FFEE00', orange: '#FF9900' });
    // A nested value out of range is still refused, naming the field, and nothing changes.
    const bad = await api.call('PUT', '/settings', {
      body: { schedule: { four: { send: -1 } } },
      headers: { 'if-match': second.body.etag },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('schedule');
    expect((await api.call('GET', '/settings')).body.settings.schedule.four.send).toBe(6);
    // Back to the defaults the other tests expect.
    await api.call('PUT', '/settings', {
      body: {
        schedule: { three: { send: 10 }, four: { send: 5 } },
        cardColors: { yellow: '#FFD966', orange: '#F4B183' },
      },
      headers: { 'if-match': (await api.call('GET', '/settings')).body.etag },
    });
  });

  it('a stale ETag → 412 and the other clerk’s change stays', async () => {
    const read = await api.call('GET', '/settings');
    const etag = read.headers.get('etag') as string;
    const first = await api.call('PUT', '/settings', {
      body: { laggingThreshold: 0.7 },
      headers: { 'If-Match': etag },
    });
    expect(first.status).toBe(200);
    const stale = await api.call('PUT', '/settings', {
      body: { laggingThreshold: 0.9 },
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toContain('已被他人修改');
    expect((await api.call('GET', '/settings')).body.settings.laggingThreshold).toBe(0.7);
  });

  it('an invalid value → 400 naming the field, nothing changed', async () => {
    const res = await api.call('PUT', '/settings', { body: { cardColors: { red: 'red' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('cardColors.red');
    expect((await api.call('GET', '/settings')).body.settings.cardColors.red).toBe('#FF7C80');
  });
});

describe('holiday calendar (R16)', () => {
  it('R16: a year not covered falls back to Mon–Fri and says so; the office’s calendar for it is then used', async () => {
    const before = await api.call('GET', '/calendar/2031');
    expect(before.body).toMatchObject({ year: 2031, source: 'fallback', covered: false });
    const put = await api.call('PUT', '/calendar/2031', {
      body: { holidays: ['2031-01-01'], workdays: ['2031-01-04'], source: '国务院办公厅通知' },
    });
    expect(put.status).toBe(200);
    const after = await api.call('GET', '/calendar/2031');
    expect(after.body).toMatchObject({
      source: 'office',
      covered: true,
      calendar: { holidays: ['2031-01-01'], workdays: ['2031-01-04'] },
    });
    const builtin = await api.call('GET', '/calendar/2026');
    expect(builtin.body).toMatchObject({ source: 'builtin', covered: true });
  });

  it('R16: dates outside the year, or a day both off and working → 400', async () => {
    const outside = await api.call('PUT', '/calendar/2032', {
      body: { holidays: ['2031-10-01'], workdays: [] },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain('不在 2032 年内');
    const both = await api.call('PUT', '/calendar/2032', {
      body: { holidays: ['2032-10-01'], workdays: ['2032-10-01'] },
    });
    expect(both.status).toBe(400);
    const year = await api.call('GET', '/calendar/20x1');
    expect(year.status).toBe(400);
    expect((await api.call('GET', '/calendar/2032')).body.source).toBe('fallback');
  });

  it('a stale ETag on a calendar year → 412', async () => {
    const etag = (await api.call('GET', '/calendar/2031')).headers.get('etag') as string;
    expect(
      (
        await api.call('PUT', '/calendar/2031', {
          body: { holidays: [], workdays: [] },
          headers: { 'If-Match': etag },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call('PUT', '/calendar/2031', {
          body: { holidays: [], workdays: [] },
          headers: { 'If-Match': etag },
        })
      ).status,
    ).toBe(412);
  });
});

describe('unit contacts and channels', () => {
  it('PUT then GET with the ETag; a stale ETag → 412; an unknown unit → 404', async () => {
    const unit = '县教育局';
    expect((await api.call('GET', `/units/${encodeURIComponent(unit)}`)).status).toBe(404);
    const put = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: {
        head: '吴局长',
        contact: '办公室 0000-1234567',
        channels: [
          { kind: 'email', to: 'jyj@county.gov.cn' },
          { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' },
          { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SEC123' },
          { kind: 'webhook', url: 'https://sms.example.cn/send', phone: '13800000000' },
        ],
      },
    });
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag') as string;
    const ok = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { head: '吴局长', channels: [{ kind: 'email', to: 'new@county.gov.cn' }] },
      headers: { 'If-Match': etag },
    });
    expect(ok.status).toBe(200);
    const stale = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { channels: [] },
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    const got = await api.call('GET', `/units/${encodeURIComponent(unit)}`);
    expect(got.body.channels).toEqual([{ kind: 'email', to: 'new@county.gov.cn' }]);
  });
});

describe('If-Match is required to replace a record', () => {
  it('PUT /settings, /calendar/{year} and /units/{unit} on an existing record without If-Match → 428 in Chinese, nothing overwritten; creating needs none', async () => {
    const unit = '县文旅局';
    const created = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { channels: [{ kind: 'email', to: 'wlj@county.gov.cn' }] },
    });
    expect(created.status).toBe(200);
    const blind = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, { body: { channels: [] } });
    expect(blind.status).toBe(428);
    expect(blind.body.error).toMatchObject({ code: 'precondition_required' });
    expect(blind.body.error.message).toContain('If-Match');
    expect((await api.call('GET', `/units/${encodeURIComponent(unit)}`)).body.channels).toHaveLength(1);

    const year = await api.call('PUT', '/calendar/2033', {
      body: { holidays: ['2033-01-03'], workdays: [] },
    });
    expect(year.status).toBe(200);
    const blindYear = await api.call('PUT', '/calendar/2033', { body: { holidays: [], workdays: [] } });
    expect(blindYear.status).toBe(428);
    expect(blindYear.body.error.message).toContain('2033 年的节假日安排');
    expect((await api.call('GET', '/calendar/2033')).body.calendar.holidays).toEqual(['2033-01-03']);

    const settings = await api.call('GET', '/settings');
    expect(settings.body.etag).not.toBeNull();
    const blindSettings = await api.call('PUT', '/settings', { body: { laggingThreshold: 0.5 } });
    expect(blindSettings.status).toBe(428);
    expect(blindSettings.body.error.message).toContain('办公室的设置');
    expect((await api.call('GET', '/settings')).body.settings.laggingThreshold).toBe(
      settings.body.settings.laggingThreshold,
    );
  });
});

describe('robot keys are write-only', () => {
  it('GET and PUT answers mask robot keys and the DingTalk secret; sending the masked form back keeps the stored ones', async () => {
    const unit = '县审批局';
    const dingtalk = {
      kind: 'dingtalk' as const,
      url: 'https://oapi.dingtalk.com/robot/send?access_token=TOKEN123',
      secret: 'SECxyz',
    };
    const wecom = {
      kind: 'wecom' as const,
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY456',
    };
    const put = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { channels: [dingtalk, wecom] },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toMatch(/TOKEN123|SECxyz|KEY456/);
    const got = await api.call('GET', `/units/${encodeURIComponent(unit)}`);
    expect(got.body.channels).toEqual([
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=******', secret: '******' },
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******' },
    ]);
    const back = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { head: '新局长', channels: got.body.channels },
      headers: { 'If-Match': got.body.etag },
    });
    expect(back.status).toBe(200);
    const stored = await getUnitContacts(api.storage, unit);
    expect(stored?.head).toBe('新局长');
    expect(stored?.channels).toEqual([dingtalk, wecom]);
    const unknown = await api.call('PUT', `/units/${encodeURIComponent(unit)}`, {
      body: { channels: [{ kind: 'wecom', url: 'https://other.example.cn/send?key=******' }] },
      headers: { 'If-Match': back.body.etag },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('channels[0]');
  });
});

describe('CORS for the add-in', () => {
  it('answers the preflight from https://localhost:3000 and exposes ETag; other origins get no CORS headers', async () => {
    const pre = await fetch(`${api.host.url}/settings`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://localhost:3000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-functions-key, if-match, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-functions-key');
    const get = await api.call('GET', '/settings', { headers: { origin: 'https://localhost:3000' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
    expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
    const evil = await api.call('GET', '/settings', { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
