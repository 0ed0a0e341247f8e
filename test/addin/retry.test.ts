// A retry never does twice what the backend already did (R12, R14): the add-in sends one requestId
// per card order and per interview, the same on every retry, and after a partial failure retries only
// the failed units. The gateway answers 502 *after* the real backend committed — the case a clerk
// cannot tell from a backend that never got the request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { DubanApi } from '../../addin/src/api/client.js';
import {
  checkLedger,
  issueCardsFor,
  newRequestId,
  setStars,
  submitInterview,
  submitRectification,
  syncLedger,
  type CommandEnv,
} from '../../addin/src/commands/actions.js';
import { SimWorkbook, simulatedHost } from '../../playground/simulatedExcel.js';
import { fixtureSheet } from './support/fixture.js';
import { startBackend, type Backend } from './support/backend.js';

const TODAY = '2026-03-20';
let backend: Backend;
let workbook: SimWorkbook;
let sheet: string;

/** A gateway that lets the request reach the backend, then answers 502 for the chosen ones. */
function gateway(fail: (method: string, path: string, body: string) => boolean) {
  const seen: string[] = [];
  const forward: typeof fetch = async (input, init) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const path = new URL(url).pathname.replace(/^\/api/, '');
    const body = typeof init?.body === 'string' ? init.body : '';
    seen.push(`${method} ${path}`);
    const res = await fetch(input, init);
    if (fail(method, path, body)) {
      await res.arrayBuffer();
      return new Response('<html>502 Bad Gateway</html>', { status: 502 });
    }
    return res;
  };
  return { fetch: forward, seen };
}

function env(fetchImpl?: typeof fetch): CommandEnv {
  const host = simulatedHost(workbook);
  return {
    excel: host.excel,
    isSetSupported: host.isSetSupported,
    api: () => new DubanApi({ url: backend.url, key: backend.key }, fetchImpl),
    prefs: () => ({ backendUrl: backend.url, functionKey: backend.key, clerk: '王督办', ledgerId: '' }),
    settings: DEFAULT_SETTINGS,
    today: () => TODAY,
    mailbox: { report: (s) => ({ id: '', at: '', ...s }), ask: () => undefined },
  };
}

const api = () => new DubanApi({ url: backend.url, key: backend.key });

beforeAll(async () => {
  backend = await startBackend('retry');
  const fixture = await fixtureSheet();
  sheet = fixture.name;
  workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet(sheet, fixture.values);
  workbook.merge(sheet, ...fixture.merges);
  expect((await syncLedger(env())).level).toBe('success');
});
afterAll(async () => {
  await backend?.close();
});

describe('retries after a 502 the backend had already committed', () => {
  it('R14: two card orders, the second answered 502 after commit; 重试 sends only that one, same requestId → one card, one number each', async () => {
    let failOnce = true;
    const gw = gateway((method, path, body) => {
      if (method === 'POST' && path === '/cards' && body.includes('县商务局') && failOnce) {
        failOnce = false;
        return true;
      }
      return false;
    });
    const idOf = (unit: string) => {
      const row = workbook.values(sheet).find((r) => r.includes(unit) && /^DB-/.test(String(r[12])));
      return String(row?.[12]);
    };
    const orders = [
      {
        unit: '县住建局',
        taskIds: [idOf('县住建局')],
        reason: '工作不到位' as const,
        requestId: newRequestId(),
      },
      {
        unit: '县商务局',
        taskIds: [idOf('县商务局')],
        reason: '工作不到位' as const,
        requestId: newRequestId(),
      },
    ];
    const first = await issueCardsFor(env(gw.fetch), 'yellow', orders);
    expect(first.level).toBe('error');
    expect(first.retry).toBe(true);
    expect(first.text).toContain('已向 县住建局 亮黄牌；1 个单位未成功');
    expect(first.pendingCards).toEqual({ color: 'yellow', orders: [orders[1]] });

    const retried = await issueCardsFor(env(gw.fetch), 'yellow', first.pendingCards!.orders);
    expect(retried).toMatchObject({ level: 'success', text: '已向 县商务局 亮黄牌。' });
    // The retry went out for 县商务局 only.
    expect(gw.seen.filter((s) => s === 'POST /cards')).toHaveLength(3);

    const units = await api().units(TODAY);
    const cardsOf = (u: string) => units.find((x) => x.unit === u)?.cards ?? [];
    expect(cardsOf('县商务局')).toHaveLength(1);
    expect(cardsOf('县住建局')).toHaveLength(1);
    // The retry answered with the first request's number: 1 and 2 issued, no 3.
    expect(retried.details?.[0]).toBe(`县商务局：黄牌（工作不到位），${cardsOf('县商务局')[0]!.docNo}`);
    expect([...cardsOf('县住建局'), ...cardsOf('县商务局')].map((c) => c.docNo).sort()).toEqual([
      '友政督提〔2026〕1号',
      '友政督提〔2026〕2号',
    ]);
  });

  it('R12: an interview answered 502 after commit, retried with the same requestId, is one interview — the unit does not turn red', async () => {
    let failOnce = true;
    const gw = gateway((method, path) => {
      if (method === 'POST' && path === '/interviews' && failOnce) {
        failOnce = false;
        return true;
      }
      return false;
    });
    const form = {
      unit: '县工信局',
      date: TODAY,
      leader: '张海涛',
      interviewee: '李局长',
      record: '项目进展缓慢',
      requestId: newRequestId(),
    };
    const before = JSON.stringify(workbook.values(sheet));
    const first = await submitInterview(env(gw.fetch), form);
    expect(first).toMatchObject({ level: 'error', retry: true, red: false });
    const again = await submitInterview(env(gw.fetch), form);
    expect(again).toMatchObject({ level: 'success', red: false });
    expect(again.text).toContain('第 1 次');
    const unit = (await api().units(TODAY)).find((u) => u.unit === '县工信局');
    expect(unit).toMatchObject({ interviews: 1 });
    expect(unit?.state).not.toBe('red');
    expect(JSON.stringify(workbook.values(sheet))).toBe(before);
  });

  it('R11: a 整改报告 answered 502 after commit, retried with the same requestId, is one report', async () => {
    const unit = '县农业农村局';
    // Column F is 牵头单位: a card goes to a lead unit only (R8).
    const row = workbook.values(sheet).find((r) => r[5] === unit && /^DB-/.test(String(r[12])));
    const card = await issueCardsFor(env(), 'orange', [
      { unit, taskIds: [String(row?.[12])], reason: '工作进展缓慢', requestId: newRequestId() },
    ]);
    expect(card.level).toBe('success');
    const cardId = (await api().units(TODAY)).find((u) => u.unit === unit)!.cards[0]!.id;
    let failOnce = true;
    const bodies: string[] = [];
    const gw = gateway((method, path, body) => {
      if (method !== 'POST' || path !== '/rectifications') return false;
      bodies.push(body);
      const fail = failOnce;
      failOnce = false;
      return fail;
    });
    const input = { unit, cardId, date: TODAY, note: '已成立专班推进', requestId: newRequestId() };
    expect((await submitRectification(env(gw.fetch), input)).level).toBe('error');
    expect((await submitRectification(env(gw.fetch), input)).level).toBe('success');
    expect(bodies.map((b) => (JSON.parse(b) as { requestId?: string }).requestId)).toEqual([
      input.requestId,
      input.requestId,
    ]);
    const history = await api().history({ unit });
    expect(history.events.filter((e) => e.type === 'rectification')).toHaveLength(1);
  });

  it('R13: when the units’ states cannot be read after a card, the colours are left alone (not guessed) and the clerk is told', async () => {
    const gw = gateway((method, path) => method === 'GET' && path === '/units');
    const fills = () => workbook.values(sheet).map((_, i) => workbook.cell(sheet, `A${i + 1}`).fill);
    const before = fills();
    const row = workbook.values(sheet).findIndex((r) => r.includes('县财政局') && /^DB-/.test(String(r[12])));
    const outcome = await issueCardsFor(env(gw.fetch), 'yellow', [
      {
        unit: '县财政局',
        taskIds: [String(workbook.values(sheet)[row]![12])],
        reason: '工作不到位',
        requestId: newRequestId(),
      },
    ]);
    expect(outcome.level).toBe('info');
    expect(outcome.text).toContain('已向 县财政局 亮黄牌；未能读取单位亮牌状态，台账颜色未改动');
    expect(fills()).toEqual(before);
  });
});

describe('a protected sheet, and a write that fails after the backend recorded', () => {
  it('a protected ledger sheet is refused before the backend is called: nothing recorded, nothing written', async () => {
    const gw = gateway(() => false);
    workbook.sheet({ name: sheet }).protected = true;
    try {
      workbook.select(sheet, 'A6:M6');
      const before = JSON.stringify(workbook.values(sheet));
      const outcome = await setStars(env(gw.fetch), 5);
      expect(outcome.level).toBe('error');
      expect(outcome.text).toContain(`工作表“${sheet}”受保护`);
      expect(outcome.text).toContain('后台未作任何记录');
      expect(gw.seen).toEqual([]);
      expect(JSON.stringify(workbook.values(sheet))).toBe(before);
      const check = await checkLedger(env(gw.fetch));
      expect(check.text).toContain('受保护，未标色');
    } finally {
      workbook.sheet({ name: sheet }).protected = false;
    }
  });

  it('a write that fails mid-batch after the backend recorded says what the backend recorded and asks for 同步台账 again', async () => {
    workbook.select(sheet, 'A6:M6', 'A8:M8');
    workbook.failWrite(2);
    try {
      const outcome = await setStars(env(), 3);
      expect(outcome.level).toBe('error');
      expect(outcome.text).toMatch(/^后台已记录：2 项任务的星级（第6行 ★★★、第8行 ★★★）。但写入工作簿时出错/);
      expect(outcome.text).toContain('请点“同步台账”再同步一次');
      expect(outcome.text).not.toContain('工作簿未被修改');
    } finally {
      workbook.failWrite(null);
    }
    // The backend has the stars; the next sync brings the workbook in step.
    const history = await api().history({
      ledgerId: 'ledger-2026',
      taskId: String(workbook.cell(sheet, 'M8').value),
    });
    expect(history.events.some((e) => e.type === 'stars' && (e.data as { to?: number })?.to === 3)).toBe(
      true,
    );
  });

  it('a star cell merged over sibling rows: the simulated host refuses a value in the hidden cell, as Excel does, and 赋星 refuses before the backend records', async () => {
    const s = workbook.sheet({ name: sheet });
    workbook.merge(sheet, 'J8:J9');
    try {
      await expect(
        simulatedHost(workbook).excel.run(async (context) => {
          context.workbook.worksheets.getItem(sheet).getRange('J9').values = [['★★★']];
          await context.sync();
        }),
      ).rejects.toThrow(/InvalidOperation: 不能更改合并单元格的一部分（.*J8:J9）/);
      const gw = gateway(() => false);
      workbook.select(sheet, 'A9:M9');
      const outcome = await setStars(env(gw.fetch), 5);
      expect(outcome.level).toBe('error');
      expect(outcome.text).toContain('第9行的星级单元格在合并单元格 J8:J9 之内');
      expect(gw.seen.filter((r) => r.startsWith('POST'))).toEqual([]);
    } finally {
      s.merged.pop();
    }
  });
});
