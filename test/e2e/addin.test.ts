// A clerk's day in headless Chromium: the built task pane and function file served over HTTPS, the
// simulated Excel host (holding the sample ledger) injected as the Office/Excel globals, and the real
// backend (the functions' dev host on Azurite) behind the add-in server's /api.
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { buildAddin, localhostCertificates, serveAddin, type ServedAddin } from '../../addin/build.js';
import { PROBLEM_FILL } from '../../addin/src/ledgerView.js';
import { roundupPeriods } from '../../addin/src/taskpane/periods.js';
import { roundupSheetName } from '../../addin/src/excel/workbook.js';
import { SimWorkbook, type Op } from '../../playground/simulatedExcel.js';
import { fixtureSheet } from '../addin/support/fixture.js';
import { clockFrom, startBackend, type Backend } from '../addin/support/backend.js';
import { paragraphsOf, unzipDocx } from '../functions/documents/docx.js';
import { openStorage } from '../../functions/storage/index.js';
import { runDaily } from '../../functions/timers/dailySupervision.js';
import { OUTBOX_STATUS_NAMES } from '../../shared/api.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(root, 'test-output', 'screenshots');
const { yellow: YELLOW, orange: ORANGE, red: RED } = DEFAULT_SETTINGS.cardColors;

let tmp: string;
let backend: Backend;
let served: ServedAddin;
let context: BrowserContext;
let pane: Page;
let ribbon: Page;
let workbook: SimWorkbook;
let sheet: string;

async function click(name: string): Promise<void> {
  await ribbon.evaluate((n) => window.__dubanClick(n), name);
}

/** A ShowTaskpane button (约谈登记, 销号, 今日提示, 督检汇总): Office loads the pane at the button's view. */
async function showTaskpane(view: string, page = pane): Promise<void> {
  await page.goto(`${served.url}/taskpane.html?view=${view}`);
  await page.waitForSelector('#tab-ledger');
}

/** Waits until the pane's status line shows `text` (a clerk reads it there). */
async function statusShows(text: string, level?: string): Promise<string> {
  await pane.waitForFunction(
    ([t, l]) => {
      const el = document.querySelector('#status') as HTMLElement | null;
      return (
        !!el && !el.hidden && (el.textContent ?? '').includes(t as string) && (!l || el.dataset.level === l)
      );
    },
    [text, level ?? null],
    { timeout: 15_000 },
  );
  return (await pane.locator('#status').textContent()) ?? '';
}

async function shot(name: string): Promise<void> {
  await pane.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // The pane as Excel shows it (its visible height), for the README.
  await pane.screenshot({ path: join(SHOTS, `${name}-pane.png`) });
}

/**
 * The clerk's day: Thursday 26 Nov 2026, 10:00 in China. The pane and the backend both start their
 * clocks here (and let them run), so that the documents are numbered 〔2026〕 and 县工信局's task is past
 * its deadline (an orange candidate) on whatever day the suite runs.
 */
const CLERKS_DAY = new Date('2026-11-26T02:00:00Z');
const backendClock = clockFrom(CLERKS_DAY);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'duban-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  const dist = join(tmp, 'dist');
  await buildAddin({ outdir: dist });
  const tls = await localhostCertificates(join(tmp, 'certs'));
  backend = await startBackend('e2e', { now: backendClock });
  served = await serveAddin({
    port: 0,
    dir: dist,
    cert: tls.cert,
    key: tls.key,
    apiProxy: new URL(backend.url).origin,
  });

  const fixture = await fixtureSheet();
  sheet = fixture.name;
  workbook = new SimWorkbook({ excelApi: '1.13' });
  workbook.addSheet(sheet, fixture.values);
  workbook.merge(sheet, ...fixture.merges);

  const shim = await build({
    entryPoints: [join(root, 'test/e2e/support/browserHost.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ignoreHTTPSErrors: true,
    viewport: { width: 340, height: 760 },
    locale: 'zh-CN',
  });
  // Fake Date and timers, running on from CLERKS_DAY at the real pace (the heartbeat and polling still fire).
  await context.clock.install({ time: CLERKS_DAY });
  await context.route(/appsforoffice\.microsoft\.com/, (route) => route.abort());
  await context.exposeBinding('__dubanExcel', (_source, ops: Op[]) => workbook.execute(ops));
  await context.addInitScript(`window.__dubanExcelApi = '1.13';\n${shim.outputFiles[0]!.text}`);
  pane = context.pages()[0] ?? (await context.newPage());
  await pane.goto(`${served.url}/taskpane.html`);
  await pane.waitForSelector('#tab-ledger');
  ribbon = await context.newPage();
  await ribbon.goto(`${served.url}/commands.html`);
  await ribbon.waitForFunction(() => window.__dubanActions.size === 8);
  await pane.bringToFront();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await served?.close();
  await backend?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the add-in in Chromium: a clerk’s day', () => {
  it('设置: the clerk enters the backend and her name; kept in the browser, not the workbook', async () => {
    await pane.click('#tab-settings');
    // The function key is never sent over plain http to another machine.
    await pane.fill('input[name=backendUrl]', 'http://duban.example/api');
    await pane.fill('input[name=functionKey]', backend.key);
    await pane.click('#settings-form button[type=submit]');
    await statusShows('后台地址须以 https:// 开头', 'error');
    expect(await pane.evaluate(() => localStorage.getItem('duban.prefs'))).toBeNull();
    await pane.fill('input[name=backendUrl]', '/api');
    await pane.fill('input[name=functionKey]', backend.key);
    await pane.fill('input[name=clerk]', '王督办');
    await pane.click('#settings-form button[type=submit]');
    await statusShows('设置已保存');
    await pane.click('#test-connection');
    await statusShows('已连接督办后台', 'success');
    await shot('settings');
    const stored = await pane.evaluate(() => localStorage.getItem('duban.prefs'));
    expect(JSON.parse(stored!)).toMatchObject({ backendUrl: '/api', clerk: '王督办' });
    expect(JSON.stringify(workbook.values(sheet))).not.toContain(backend.key);
  });

  it('同步台账 from the ribbon: ids written, non-standard cells marked (R1), problems listed with jump-to-cell', async () => {
    const before = workbook.syncCount;
    await click('syncLedger');
    await statusShows('已同步 16 项任务，新编督办编号 16 个', 'success');
    expect(workbook.syncCount - before).toBe(2);
    expect(workbook.cell(sheet, 'M3').value).toBe('督办编号');
    expect(workbook.cell(sheet, 'M5').value).toBe('DB-2026-0001');
    expect(workbook.cell(sheet, 'E20').fill).toBe(PROBLEM_FILL);
    await pane.waitForSelector('#problems li');
    const problems = await pane.locator('#problems li .grow').allTextContents();
    expect(problems).toEqual(['第20行E列（牵头领导）为空', '第21行H列（完成时限）为空']);
    await shot('ledger-check');
    await pane.locator('#problems li').nth(1).locator('button').click();
    await expect.poll(() => workbook.selection?.boxes[0]).toEqual({ r0: 20, c0: 7, r1: 20, c1: 7 });
  });

  it('赋星 按类别 on the selected rows writes ★★★★ and leaves other rows alone (R5)', async () => {
    workbook.select(sheet, 'A6:M6', 'A8:M8');
    const row7 = JSON.stringify(workbook.cell(sheet, 'J7'));
    await click('starsByKind');
    await statusShows('已为 2 项任务赋星（按类别）', 'success');
    expect(workbook.cell(sheet, 'J6').value).toBe('★★★★');
    expect(workbook.cell(sheet, 'J8').value).toBe('★★★★');
    expect(JSON.stringify(workbook.cell(sheet, 'J7'))).toBe(row7);
  });

  it('黄牌: the candidate’s reason (R9), the unit’s rows yellow (R13), the 提示函 number shown (R14)', async () => {
    workbook.select(sheet, 'C20');
    await click('yellowCard');
    const text = await statusShows('友政督提〔2026〕1号', 'success');
    expect(text).toContain('台账清单不规范');
    expect(workbook.cell(sheet, 'A13').fill).toBe(YELLOW);
    expect(workbook.cell(sheet, 'A20').fill).toBe(YELLOW);
  });

  it('黄牌 without a candidate: the pane asks the reason, the clerk picks it, the card is issued (R9)', async () => {
    workbook.select(sheet, 'C7');
    await click('yellowCard');
    await pane.waitForSelector('#reason-form');
    await pane.selectOption('#reason-form select[name=reason-0]', '报送材料质量不高');
    await pane.click('#reason-form button[type=submit]');
    const text = await statusShows('友政督提〔2026〕2号', 'success');
    expect(text).toContain('县商务局：黄牌（报送材料质量不高）');
    expect(workbook.cell(sheet, 'C9').fill).toBe(YELLOW);
  });

  it('橙牌 on an orange candidate (late November: 县工信局’s task is past its deadline): one click, the unit’s rows orange, the 预警通知书 number and the rectification deadline (R10, R11, R13)', async () => {
    workbook.select(sheet, 'C12');
    await click('orangeCard');
    const text = await statusShows('友政督警〔2026〕1号', 'success');
    expect(text).toMatch(/限 \d{4}-\d{2}-\d{2} 前整改/);
    expect(workbook.cell(sheet, 'A12').fill).toBe(ORANGE);
  });

  it('约谈登记 twice: the unit turns red at once, its rows red, the checklist shown and tickable (R12)', async () => {
    workbook.select(sheet, 'C12');
    for (const n of [1, 2]) {
      await showTaskpane('interview');
      await pane.waitForFunction(
        () =>
          (document.querySelector('#interview-form input[name=unit]') as HTMLInputElement | null)?.value ===
          '县工信局',
      );
      await pane.fill('#interview-form input[name=leader]', '张海涛');
      await pane.fill('#interview-form input[name=interviewee]', '李建军');
      await pane.fill(
        '#interview-form textarea[name=record]',
        n === 1 ? '项目环评滞后，要求限期整改' : '=整改仍不到位',
      );
      await pane.click('#interview-form button[type=submit]');
      if (n === 1) {
        await statusShows('本年度第 1 次', 'success');
        expect(workbook.cell(sheet, 'A12').fill).toBe(ORANGE);
      }
    }
    await statusShows('亮红牌（R12）', 'success');
    expect(workbook.cell(sheet, 'A12').fill).toBe(RED);
    expect(workbook.cell(sheet, 'M12').fill).toBe(RED);
    const checklist = '.red-checklist[data-unit="县工信局"]';
    await pane.waitForSelector(checklist);
    expect(await pane.locator(`${checklist} label`).count()).toBe(4);
    await pane.locator(`${checklist} input[name=explain]`).check();
    await statusShows('已记录：牵头领导在县政府常务会议上作情况说明（已完成）', 'success');
    // The ticks live in the backend (R12), not in this browser: after a reload the checklist is back,
    // ticked, for every red unit, and nothing of it is in localStorage.
    await pane.goto(`${served.url}/taskpane.html`);
    await pane.click('#tab-cards');
    await pane.waitForSelector(checklist);
    expect(await pane.locator(`${checklist} input[name=explain]`).isChecked()).toBe(true);
    expect(await pane.locator(`${checklist} input[name=circular]`).isChecked()).toBe(false);
    // The 黄牌理由 form answered this morning does not come back with the reloaded pane.
    expect(await pane.locator('#reason-form').count()).toBe(0);
    expect(
      await pane.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('Checklist'))),
    ).toEqual([]);
    await pane.waitForSelector('#units li[data-unit="县工信局"]');
    expect(await pane.locator('#units li[data-unit="县工信局"] .chip').textContent()).toBe('红牌');
    await shot('cards');
  });

  it('R12: the red checklist’s two drafts download as Word: the 通报批评 in the name of 县政府办公室, number blank; the 专题报告 to 县委 with the number typed', async () => {
    await pane.click('#tab-cards');
    const checklist = pane.locator('.red-checklist[data-unit="县工信局"]');
    await checklist.waitFor();
    const drafts: { name: string; text: string[] }[] = [];
    for (const [doc, no] of [
      ['tongbao', ''],
      ['zhuanti', '4'],
    ] as const) {
      await checklist.locator('input[name=red-doc-no]').fill(no);
      const [download] = await Promise.all([
        pane.waitForEvent('download'),
        checklist.locator(`button[data-doc=${doc}]`).click(),
      ]);
      await statusShows(`已下载《${download.suggestedFilename()}》`, 'success');
      const bytes = readFileSync((await download.path())!);
      drafts.push({
        name: download.suggestedFilename(),
        text: paragraphsOf(unzipDocx(bytes)['word/document.xml']!),
      });
    }
    const [tongbao, zhuanti] = drafts;
    expect(tongbao!.name).toBe('通报批评（县工信局，草稿）.docx');
    expect(tongbao!.text.slice(0, 3)).toEqual([
      '友谊县人民政府办公室',
      '友政办通〔2026〕　　号',
      '关于对县工信局予以通报批评的通报',
    ]);
    expect(tongbao!.text.join('\n')).toContain('决定对县工信局予以全县通报批评');
    expect(zhuanti!.name).toBe('专题报告（县工信局，草稿）.docx');
    expect(zhuanti!.text.slice(1, 4)).toEqual([
      '友政督专〔2026〕4号',
      '关于县工信局被亮红牌有关情况的专题报告',
      '中共友谊县委员会：',
    ]);
    expect(zhuanti!.text.join('\n')).toContain('被县政府分管领导约谈2次');
    // A number that is not one is refused in the pane, before anything is asked of the backend.
    await checklist.locator('input[name=red-doc-no]').fill('四');
    await checklist.locator('button[data-doc=zhuanti]').click();
    await statusShows('文号应为 1 至 99999 的整数', 'error');
  });

  it('整改报告 after the orange card is recorded from the pane, and the unit no longer awaits one (R11)', async () => {
    await pane.click('#tab-cards');
    const button = pane.locator('button[data-rectify="县工信局"]');
    await button.waitFor();
    await button.click();
    await pane.fill('#rectification-form textarea[name=note]', '已成立专班，环评已于本周提交');
    await pane.click('#rectification-form button[type=submit]');
    await statusShows('已登记 县工信局 的整改报告', 'success');
    await pane.waitForSelector('#units li[data-unit="县工信局"]');
    expect(await pane.locator('button[data-rectify="县工信局"]').count()).toBe(0);
  });

  it('the letter that follows a card downloads as Word, named by its number (R14)', async () => {
    await pane.click('#tab-cards');
    const button = pane.locator('button[data-document="友政督警〔2026〕1号"]');
    await button.waitFor();
    const [download] = await Promise.all([pane.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toContain('友政督警〔2026〕1号');
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    await statusShows('已下载', 'success');
  });

  it('亮牌候选: one click on 确认 issues the proposed card and colours the unit’s rows (R9, R13)', async () => {
    await pane.click('#tab-cards');
    const candidate = pane.locator('#candidates li', { hasText: '县医保局：台账清单不规范' });
    await candidate.waitFor();
    // R9: the candidate shows its evidence, the non-standard cell by row and column.
    expect(await candidate.locator('.evidence li').allTextContents()).toEqual([
      expect.stringMatching(/^台账第21行H列/),
    ]);
    await shot('candidates');
    // 县住建局 got its card for this reason this morning: marked 已亮牌, 确认 disabled (no second number).
    const carded = pane.locator('#candidates li', { hasText: '县住建局：台账清单不规范' });
    if ((await carded.count()) > 0) {
      expect(await carded.locator('button').textContent()).toBe('已亮牌');
      expect(await carded.locator('button').isDisabled()).toBe(true);
    }
    await candidate.locator('button').click();
    await statusShows('县医保局：黄牌（台账清单不规范），友政督提〔2026〕3号', 'success');
    const again = pane.locator('#candidates li', { hasText: '县医保局：台账清单不规范' });
    await expect
      .poll(async () => (await again.count()) === 0 || (await again.locator('button').isDisabled()))
      .toBe(true);
    expect(workbook.cell(sheet, 'A21').fill).toBe(YELLOW);
    expect(workbook.cell(sheet, 'H21').fill).toBe(PROBLEM_FILL);
  });

  it('销号: the pane asks date and note, the status column says 已销号 for those tasks only (R3)', async () => {
    workbook.select(sheet, 'A17:M18');
    await showTaskpane('close');
    await pane.waitForSelector('#close-form');
    await shot('close-form');
    await pane.fill('#close-form textarea[name=note]', '年度目标已完成，见县人社局验收报告');
    await pane.click('#close-form button[type=submit]');
    await statusShows('已销号 2 项任务', 'success');
    expect(workbook.cell(sheet, 'N3').value).toBe('办理状态');
    expect(String(workbook.cell(sheet, 'N17').value)).toMatch(/^已销号（\d{4}-\d{2}-\d{2}）年度目标已完成/);
    expect(workbook.cell(sheet, 'N16').value).toBe('');
    expect(workbook.cell(sheet, 'N19').value).toBe('');
    expect(await pane.locator('#view #units, #view #candidates').count()).toBe(0);
  });

  it('R16: on 26 November 今日提示 asks for 2027’s holidays; the form refuses a date outside 2027 and, once entered, the banner is gone', async () => {
    await showTaskpane('reminders');
    const banner = pane.locator('#calendar-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('2027年的节假日安排尚未载入');
    await shot('calendar-banner');
    await banner.locator('textarea[name=holidays]').fill('2027-01-01 2026-10-01');
    await banner.locator('button[type=submit]').click();
    await statusShows('日期不在 2027 年内：2026-10-01', 'error');
    await banner.locator('textarea[name=holidays]').fill('2027-01-01, 2027-02-16、2027-02-17\n2027-10-01');
    await banner.locator('textarea[name=workdays]').fill('2027-02-20');
    await banner.locator('button[type=submit]').click();
    await statusShows('已录入2027年节假日安排', 'success');
    await expect.poll(() => pane.locator('#calendar-banner').count()).toBe(0);
    const stored = await fetch(`${backend.url}/calendar/2027`, {
      headers: { 'x-functions-key': backend.key },
    });
    expect(await stored.json()).toMatchObject({
      covered: true,
      calendar: {
        holidays: ['2027-01-01', '2027-02-16', '2027-02-17', '2027-10-01'],
        workdays: ['2027-02-20'],
      },
    });
  });

  it('今日提示, 督检汇总 (R21: also a sheet of the workbook, replaced only on 替换) and 历史 are one click away', async () => {
    await showTaskpane('reminders');
    await pane.waitForFunction(
      () => document.querySelector('#tab-reminders')?.getAttribute('aria-selected') === 'true',
    );
    await pane.waitForFunction(() => !document.body.textContent?.includes('正在读取'));
    // Monday 23 Nov 2026: the 5★ tasks' weekly prompt and the 4★ tasks' W−5 of November (R15),
    // queued by that morning's run.
    const storage = await openStorage({
      connectionString: inject('azuriteConnectionString'),
      prefix: backend.prefix,
    });
    const morning = await runDaily({
      on: '2026-11-23',
      storage,
      now: new Date('2026-11-23T00:00:05Z'),
      env: { DUBAN_LINK_SECRET: 'addin-test-link-secret-0123456789abcdef' },
    });
    expect(morning.queued).toBeGreaterThan(0);
    await pane.fill('input[name=reminder-day]', '2026-11-23');
    await pane.waitForSelector('#reminders li');
    // R17: 送达情况 counts the whole day and lists every entry the morning queued.
    await pane.waitForSelector('#outbox-summary');
    expect(await pane.locator('#outbox-summary').textContent()).toBe(
      `共 ${morning.queued} 条：${OUTBOX_STATUS_NAMES.queued} ${morning.queued}`,
    );
    expect(await pane.locator('#outbox li').count()).toBe(morning.queued);
    await pane.locator('#outbox-summary').scrollIntoViewIfNeeded();
    await pane.screenshot({ path: join(SHOTS, 'pane-reminders-outbox.png') });
    const reminders = await pane.locator('#reminders li').allTextContents();
    expect(reminders.some((r) => r.includes('县教育局') && r.includes('★★★★★ 每周提示'))).toBe(true);
    expect(reminders.some((r) => r.includes('★★★★ 月度提示 2026-11'))).toBe(true);
    await pane.click('#roundup button');
    await pane.waitForSelector('#roundup-table');
    // The most recent ended period of the last synced ledger (R15, R21), and months to pick from.
    const today = await pane.evaluate(() => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    expect(await pane.evaluate(() => localStorage.getItem('duban.lastLedger'))).toBe(
      JSON.stringify({ ledgerId: 'ledger-2026', year: 2026 }),
    );
    const chosen = await pane.locator('select[name=roundup-period]').inputValue();
    expect(chosen).toBe(roundupPeriods(today, 2026).chosen);
    expect(await pane.locator('#roundup-period').textContent()).toContain(`ledger-2026 · ${chosen}`);
    await pane.selectOption('select[name=roundup-period]', '2026-Q3');
    await pane.waitForFunction(() =>
      document.querySelector('#roundup-period')?.textContent?.includes('2026-Q3'),
    );
    await pane.waitForSelector('#roundup-table');
    expect(await pane.locator('#roundup-table tr').count()).toBeGreaterThan(5);
    // R21: the round-up also lands in the workbook as its own sheet; opening it again asks 替换 / 取消.
    await pane.waitForFunction(() =>
      document.querySelector('#roundup-sheet')?.textContent?.includes('2026Q3'),
    );
    expect(await pane.locator('#roundup-sheet').textContent()).toContain('已写入工作表“督检汇总2026Q3”');
    expect(workbook.sheets.map((s) => s.name)).toContain(roundupSheetName(chosen));
    const ranked = workbook.values('督检汇总2026Q3').length;
    expect(ranked).toBeGreaterThan(5);
    await pane.selectOption('select[name=roundup-period]', '2026-Q2');
    await pane.waitForFunction(() =>
      document.querySelector('#roundup-sheet')?.textContent?.includes('2026Q2'),
    );
    await pane.selectOption('select[name=roundup-period]', '2026-Q3');
    await pane.waitForSelector('#roundup-sheet-replace');
    expect(await pane.locator('#roundup-sheet').textContent()).toContain('是否替换');
    await pane.click('#roundup-sheet-replace');
    await pane.waitForFunction(() =>
      document.querySelector('#roundup-sheet')?.textContent?.includes('已替换'),
    );
    expect(workbook.sheets.filter((s) => s.name === '督检汇总2026Q3')).toHaveLength(1);
    expect(workbook.values('督检汇总2026Q3')).toHaveLength(ranked);
    const [report] = await Promise.all([pane.waitForEvent('download'), pane.click('#roundup-document')]);
    expect(report.suggestedFilename()).toMatch(/\.docx$/);
    expect(
      readFileSync((await report.path())!)
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
    await shot('reminders');
    await pane.click('#tab-history');
    await pane.fill('input[name=subject]', '县工信局');
    await pane.click('#view form button[type=submit]');
    await pane.waitForSelector('ol.timeline li');
    const lines = await pane.locator('ol.timeline li').allTextContents();
    expect(lines.some((l) => l.includes('亮红牌') || l.includes('亮牌'))).toBe(true);
    expect(lines.filter((l) => /^\S+ 约谈/.test(l)).length).toBe(2);
    await shot('history');
  });

  // Every cell the add-in fills with outside text starts with its own label (【…反馈】, 已销号（…）), so no
  // path here can start a cell with the unit's `=`: the text-format guard itself is proven on the
  // adapter (workbook.test.ts, officeMock.test.ts). This checks the whole answer arrives, label first.
  it('R19: a unit answers through its signed link; 同步台账 writes it into 进展情况 after its 【…反馈】 label, a formula-looking answer whole', async () => {
    const taskId = String(workbook.cell(sheet, 'M6').value);
    const link = await fetch(`${backend.url}/feedback-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': backend.key },
      body: JSON.stringify({ ledgerId: 'ledger-2026', unit: '县财政局', taskId, period: '2026-Q4' }),
    });
    expect(link.status).toBe(201);
    const { token } = (await link.json()) as { token: string };
    // The unit's page: the form its link opens in a browser, posting to POST /api/feedback/{token}.
    const unit = await context.newPage();
    await unit.goto(`${backend.url}/feedback/${token}`);
    await unit.fill('textarea', '=HYPERLINK("http://evil.example","点我")');
    await unit.click('button');
    await unit.waitForFunction(() => document.querySelector('.result h2')?.textContent === '反馈已提交');
    await unit.close();
    await pane.bringToFront();

    const before = workbook.syncCount;
    await click('syncLedger');
    await statusShows('写入单位反馈 1 条', 'success');
    expect(workbook.syncCount - before).toBe(2);
    const cell = workbook.cell(sheet, 'K6');
    expect(cell.value).toMatch(
      /^【\d{1,2}月\d{1,2}日 县财政局反馈】=HYPERLINK\("http:\/\/evil\.example","点我"\)$/,
    );
    expect(cell.formula).toBeNull();
    await shot('feedback');
  });

  it('a backend that is down: a clear message and a retry that works once it is back', async () => {
    const port = backend.host.port;
    const prefix = backend.prefix;
    await backend.close();
    await pane.click('#tab-ledger');
    await pane.click('#sync');
    const text = await statusShows('无法连接督办后台', 'error');
    expect(text).toContain('重试');
    await shot('backend-down');
    const ids = workbook.values(sheet).map((r) => r[12]);
    backend = await startBackend('e2e', { port, prefix, now: backendClock });
    await pane.click('#retry');
    await statusShows('已同步 16 项任务', 'success');
    expect(workbook.values(sheet).map((r) => r[12])).toEqual(ids);
  });

  it('the pane closed: a ribbon command shows its outcome in a dialog, and 销号 opens the pane with its form', async () => {
    await pane.close();
    // The pane's heartbeat is gone (removed on pagehide, or stale after a few seconds).
    await ribbon.waitForFunction(
      () => !(Date.now() - Number(localStorage.getItem('duban.pane.alive')) < 5000),
      undefined,
      { timeout: 15_000, polling: 100 },
    );
    const completions = () =>
      ribbon.evaluate(() => window.__dubanCompleted.filter((n) => n === 'checkLedger').length);
    const before = await completions();
    const clicked = ribbon.evaluate(() => window.__dubanClick('checkLedger'));
    await ribbon.waitForFunction(() => window.__dubanDialogs.length === 1, undefined, {
      timeout: 15_000,
      polling: 100,
    });
    const url = await ribbon.evaluate(() => window.__dubanDialogs[0]!.url);
    expect(url).toBe(`${served.url}/notice.html`);
    const dialog = await context.newPage();
    await dialog.setViewportSize({ width: 420, height: 300 });
    await dialog.goto(url);
    await dialog.waitForSelector('#close');
    expect(await dialog.locator('#status').textContent()).toContain('台账检查完成：16 项任务');
    await dialog.screenshot({ path: join(SHOTS, 'notice-dialog.png') });
    // 关闭: the command completes only now (its runtime stays until the dialog is closed): with its
    // outcome shown in the dialog, it has not yet called event.completed().
    expect(await completions()).toBe(before);
    await ribbon.evaluate(() => window.__dubanDialogs[0]!.close());
    expect(await clicked).toBe(true);
    expect(await completions()).toBe(before + 1);
    await dialog.close();

    // 销号 is a ShowTaskpane button: the pane opens at its view and reads the selection itself.
    workbook.select(sheet, 'A6:M6');
    pane = await context.newPage();
    await showTaskpane('close');
    await pane.waitForSelector('#close-form');
    expect(await pane.locator('#close-form li').allTextContents()).toEqual([
      expect.stringMatching(/^第6行 /),
    ]);
    await shot('close-from-ribbon');
    // Office does not reload a pane already at this view: 按所选行 reads the selection again.
    workbook.select(sheet, 'A5:M6');
    await pane.click('#close-form button:has-text("按所选行")');
    await pane.waitForFunction(() => document.querySelectorAll('#close-form li').length === 2);
    // The pane at its narrowest (320 px).
    await pane.setViewportSize({ width: 320, height: 760 });
    await shot('close-from-ribbon-320');
  });

  it('an old host (Trident/EdgeHTML of Office 2019 perpetual): the pane and the buttons say what to use instead of hanging', async () => {
    const old = await context.newPage();
    await old.addInitScript(() => {
      Object.defineProperty(navigator, 'userAgent', {
        get: () => 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
      });
    });
    await old.goto(`${served.url}/taskpane.html`);
    await old.waitForFunction(() => document.getElementById('app')?.textContent?.includes('Microsoft 365'));
    expect(await old.locator('#app').textContent()).toContain('请使用 Microsoft 365 或 Excel 网页版');
    await old.goto(`${served.url}/commands.html`);
    const opened = await old.evaluate(() => {
      const fn = (window as unknown as Record<string, (e: { completed(): void }) => void>).syncLedger;
      fn?.({ completed: () => undefined });
      return window.__dubanDialogs.map((d) => d.url);
    });
    expect(opened).toEqual([`${served.url}/notice.html`]);
    expect(await old.evaluate(() => window.__dubanActions.size)).toBe(0);
    await old.close();
  });

  it('节点与指标: the clerk ticks a 5★ milestone (R7) and sets a 4★ target’s kind (R6); the history says who and when', async () => {
    await pane.goto(`${served.url}/taskpane.html`);
    await pane.waitForSelector('#task-detail-form');
    // 县城集中供热管网改造工程 (row 13): on 26 November all four milestones are past their dates.
    const project = String(workbook.cell(sheet, 'M13').value);
    workbook.select(sheet, 'B13');
    await pane.click('#task-detail-selected');
    const task = pane.locator(`.task-detail[data-task="${project}"]`);
    await task.waitFor();
    const tender = task.locator('li', { hasText: '完成招标' });
    expect(await tender.locator('.state').textContent()).toBe('已过期限未完成');
    await tender.locator('input[type=checkbox]').click();
    await statusShows(`${project}：节点“完成招标”已标为完成，已记入历史。`, 'success');
    const ticked = pane.locator(`.task-detail[data-task="${project}"] li`, { hasText: '完成招标' });
    expect(await ticked.locator('.state').textContent()).toBe('已完成（2026-11-26，王督办，督查室勾选）');
    expect(await ticked.locator('input[type=checkbox]').isChecked()).toBe(true);
    // The other milestones are untouched: still slips.
    expect(
      await pane
        .locator(`.task-detail[data-task="${project}"] li`, { hasText: '开工' })
        .locator('.state')
        .textContent(),
    ).toBe('已过期限未完成');
    await shot('task-detail-milestones');

    // 城镇新增就业1200人 (row 17), typed by its 督办编号: 1200 人 is pro-rated by default; the clerk makes it a level.
    const jobs = String(workbook.cell(sheet, 'M17').value);
    await pane.fill('#task-detail-form input[name=taskNo]', jobs);
    await pane.click('#task-detail-show');
    const indicator = pane.locator(`.task-detail[data-task="${jobs}"]`);
    await indicator.locator('select[name=targetKind]').waitFor();
    expect(await indicator.locator('.target-kind').textContent()).toBe(
      '现行：累计值（按进度折算），来源：按设置默认',
    );
    await indicator.locator('select[name=targetKind]').selectOption('level');
    await statusShows(`${jobs}：指标类型已设为水平值（全年保持），已记入历史。`, 'success');
    await expect
      .poll(() => pane.locator(`.task-detail[data-task="${jobs}"] .target-kind`).textContent())
      .toBe('现行：水平值（全年保持），来源：督查室设定');
    await shot('task-detail-target-kind');

    // The backend's history of each task: who did it and when.
    const history = async (taskId: string) => {
      const res = await fetch(`${backend.url}/history?ledgerId=ledger-2026&taskId=${taskId}`, {
        headers: { 'x-functions-key': backend.key },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { events: { type: string; by: string; date: string; data: unknown }[] })
        .events;
    };
    expect((await history(project)).filter((e) => e.type === 'milestone')).toEqual([
      expect.objectContaining({
        by: '王督办',
        date: '2026-11-26',
        data: expect.objectContaining({
          milestone: '完成招标',
          done: true,
          on: '2026-11-26',
          source: 'office',
        }),
      }),
    ]);
    expect((await history(jobs)).filter((e) => e.type === 'target-kind')).toEqual([
      expect.objectContaining({ by: '王督办', date: '2026-11-26', data: { from: null, to: 'level' } }),
    ]);

    // A milestone the ledger itself marks done is shown as such; unticking it is refused with the reason.
    workbook.typeInto(sheet, 'L22', '5月底前主体封顶（已完成）；7月底前完成装修；8月20日前交付使用');
    workbook.select(sheet, 'B22');
    await click('syncLedger');
    await statusShows('已同步', 'success');
    const school = String(workbook.cell(sheet, 'M22').value);
    await pane.click('#task-detail-selected');
    const topped = pane.locator(`.task-detail[data-task="${school}"] li`, { hasText: '主体封顶' });
    await topped.waitFor();
    expect(await topped.locator('.state').textContent()).toBe('已完成（台账标注）');
    await topped.locator('input[type=checkbox]').click();
    await statusShows('节点「主体封顶」在台账中标为已完成，请在台账中修改后再同步', 'error');
    await expect
      .poll(() =>
        pane
          .locator(`.task-detail[data-task="${school}"] li`, { hasText: '主体封顶' })
          .locator('input[type=checkbox]')
          .isChecked(),
      )
      .toBe(true);
  }, 120_000);
});

describe('台账体检 in Chromium on a township sheet with an unknown header (R4)', () => {
  it('shows the sheet and the year, the clerk maps 最迟办结 → 完成时限 in the pane, and the check is clean', async () => {
    workbook.addSheet('城关镇', [
      ['城关镇2026年重点工作任务台账', '', '', '', '', '', ''],
      ['序号', '工作任务', '牵头领导', '牵头单位', '工作措施', '最迟办结', '备注'],
      ['1', '老旧小区改造', '王志刚', '城关镇、县住建局', '分片推进。', '2026年6月30日', ''],
      ['2', '农贸市场提升', '李明', '城关镇', '按月调度。', '年底前', ''],
      ['填表人：李明', '', '联系电话：0000-1234567', '', '', '', ''],
    ]);
    workbook.select('城关镇', 'A3');
    await pane.setViewportSize({ width: 340, height: 760 });
    await pane.goto(`${served.url}/taskpane.html`);
    await pane.waitForSelector('#tab-ledger');
    await pane.click('#check');
    await pane.waitForSelector('#column-map', { timeout: 60_000 });
    expect(await pane.locator('#status').textContent()).toContain(
      '读取的是工作表“城关镇”（2026年，取自标题）',
    );
    expect(await pane.locator('#ledger-year').textContent()).toBe(
      '已读取工作表“城关镇” · 台账年份：2026年，取自标题',
    );
    expect(await pane.locator('#column-map label span').allTextContents()).toEqual([
      'F列“最迟办结”',
      'G列“备注”',
    ]);
    await shot('ledger-column-map');
    await pane.selectOption('#column-map select[data-label="最迟办结"]', 'deadline');
    await pane.click('#column-map-save');
    await statusShows('已保存表头对应：“最迟办结”→完成时限，并已保存到督办后台。');
    await pane.waitForSelector('#problems-ok', { timeout: 60_000 });
    expect(await pane.locator('#column-map').count()).toBe(0);
    expect(JSON.parse(String(workbook.settings.get('duban.columnMap')))).toEqual({
      城关镇: { 最迟办结: 'deadline' },
    });
    await shot('ledger-column-mapped');
  }, 120_000);
});
