// The playground in headless Chromium, played as a visitor plays it: only clicks on the page, the
// ribbon, the pane, the units' side and the phone frame, and typing into cells and forms. The real
// backend (the functions' dev host, started as a playground on Azurite) and the built add-in and
// playground pages, served over HTTPS. Screenshots go to test-output/playground/.
import { chromium, type BrowserContext, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { buildAddin, localhostCertificates, serveAddin, type ServedAddin } from '../../addin/build.js';
import { PROBLEM_FILL } from '../../addin/src/ledgerView.js';
import { buildPlayground } from '../../playground/build.js';
import { playgroundRoutes } from '../../playground/server/routes.js';
import { startPlaygroundBackend, type PlaygroundBackend } from '../../playground/server/backend.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(root, 'test-output', 'playground');
const { orange: ORANGE, red: RED } = DEFAULT_SETTINGS.cardColors;

let tmp: string;
let served: ServedAddin;
let backend: PlaygroundBackend | null = null;
let context: BrowserContext;
let page: Page;
let pane: FrameLocator;
/** Requests the browser tried to send off the loopback (there must be none). */
const offLoopback: string[] = [];
const consoleErrors: string[] = [];

const cell = (address: string) => page.locator(`#pg-grid td[data-cell="${address}"]`);
const ribbon = (name: string) => page.locator(`#pg-ribbon button[data-button="${name}"]`);

/** The colour a visitor sees on a cell (its inline background), as #RRGGBB. */
async function fillOf(address: string): Promise<string> {
  const rgb = await cell(address).evaluate((el) => (el as HTMLElement).style.backgroundColor);
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(rgb);
  return m
    ? '#' +
        m
          .slice(1)
          .map((n) => Number(n).toString(16).padStart(2, '0').toUpperCase())
          .join('')
    : '';
}

/** Waits until the pane's status line shows `text`. */
async function paneSays(text: string, level = 'success'): Promise<string> {
  const status = pane.locator(`#status[data-level="${level}"]`, { hasText: text });
  await status.waitFor({ timeout: 20_000 });
  return (await status.textContent()) ?? '';
}

async function bannerSays(text: string): Promise<string> {
  const banner = page.locator('#pg-banner', { hasText: text });
  await banner.waitFor({ timeout: 30_000 });
  return (await banner.textContent()) ?? '';
}

/** 下一步 in the guided tour: it names the next thing to click and the rule it shows. */
async function tourNext(title: string, rules: string): Promise<void> {
  await page.click('#pg-tour-next');
  expect(await page.locator('#pg-tour strong').textContent()).toBe(title);
  expect(await page.locator('#pg-tour .rule').textContent()).toBe(rules);
  expect(await page.locator('.tour-target').count()).toBe(1);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'duban-playground-'));
  mkdirSync(SHOTS, { recursive: true });
  const addinDist = join(tmp, 'addin');
  const { dir } = await buildPlayground({ outdir: join(tmp, 'playground') });
  await buildAddin({ outdir: addinDist });
  const tls = await localhostCertificates(join(tmp, 'certs'));
  served = await serveAddin({
    port: 0,
    dir: addinDist,
    cert: tls.cert,
    key: tls.key,
    // The office's backend is not there: nothing the playground does may need it.
    apiProxy: 'http://127.0.0.1:9',
    before: playgroundRoutes({ dir, backend: () => backend }),
  });
  backend = await startPlaygroundBackend({
    storage: inject('azuriteConnectionString'),
    publicUrl: `${served.url}/playground`,
    today: '2026-11-02',
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
    viewport: { width: 1760, height: 900 },
    locale: 'zh-CN',
  });
  await context.route(
    (url) => !['localhost', '127.0.0.1'].includes(url.hostname),
    (route) => {
      offLoopback.push(route.request().url());
      return route.abort();
    },
  );
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  pane = page.frameLocator('#pg-pane-frame');
}, 180_000);

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  await shot(`failed-${task.name.slice(0, 12)}`).catch(() => undefined);
  // What the visitor saw, for the failure report.
  console.log(
    'banner:',
    await page
      .locator('#pg-banner')
      .textContent()
      .catch(() => null),
  );
  console.log(
    'pane:',
    await pane
      .locator('#status')
      .textContent({ timeout: 1000 })
      .catch(() => null),
  );
  console.log('errors:', consoleErrors);
  console.log(
    'dialog open:',
    await page
      .locator('#pg-dialog')
      .isVisible()
      .catch(() => null),
  );
});

afterAll(async () => {
  await context?.close();
  await served?.close();
  await backend?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the playground: the whole loop by clicks and typing, without Excel', () => {
  it('opens with the example ledger in the grid, the 督办 ribbon tab, the real pane and the units’ side (R1)', async () => {
    await page.goto(`${served.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => cell('C5').textContent()).toBe('地区生产总值增长6%以上');
    // Dates are shown as Excel shows a date cell, not as serial numbers.
    expect(await cell('H5').textContent()).toBe('2026-12-31');
    expect(await page.locator('#pg-ribbon .tabs .on').textContent()).toBe('督办');
    expect(await page.locator('#pg-ribbon .buttons button').count()).toBe(13);
    await pane.locator('#tab-ledger').waitFor();
    expect(await page.inputValue('#pg-today')).toBe('2026-11-02');
  });

  it('同步台账 from the ribbon writes 督办编号 into the grid and marks non-standard cells (R1); the visitor fixes them by typing, 检查台账 agrees', async () => {
    await ribbon('syncLedger').click();
    await paneSays('已同步 16 项任务');
    await expect.poll(() => cell('M5').textContent()).toBe('DB-2026-0001');
    expect(await cell('M3').textContent()).toBe('督办编号');
    expect(await fillOf('E20')).toBe(PROBLEM_FILL);
    expect(await pane.locator('#problems li .grow').allTextContents()).toEqual([
      '第20行E列（牵头领导）为空',
      '第21行H列（完成时限）为空',
    ]);
    // The visitor scrolls right to see the painted cells and the new 督办编号 column.
    await page.locator('#pg-grid').hover();
    await page.mouse.wheel(700, 0);
    const grid = page.locator('#pg-grid');
    let last = -1;
    await expect
      .poll(async () => {
        const now = await grid.evaluate((el) => el.scrollLeft);
        const still = now > 0 && now === last;
        last = now;
        return still;
      })
      .toBe(true);
    await shot('01-ledger-synced');
    await tourNext('改正台账', 'R1');
    // The pane's jump button selects the cell in the grid, as it does in Excel.
    await pane.locator('#problems li').first().locator('button').click();
    await expect.poll(() => page.locator('#pg-namebox').textContent()).toBe('E20');
    // Typing into the 编辑栏 and Enter, then plain typing into the selected H21 (a date, as Excel takes it).
    await page.fill('#pg-formula-input', '刘建国');
    await page.press('#pg-formula-input', 'Enter');
    await expect.poll(() => cell('E20').textContent()).toBe('刘建国');
    await cell('H21').click();
    await page.keyboard.type('2026-12-31');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell('H21').textContent()).toBe('2026-12-31');
    // A click on a merged title selects its whole area, as in Excel.
    await cell('A1').click();
    await expect.poll(() => page.locator('#pg-namebox').textContent()).toBe('A1:L1');
    await ribbon('checkLedger').click();
    await paneSays('台账检查完成');
    await expect.poll(() => pane.locator('#problems li').count()).toBe(0);
    expect(await fillOf('E20')).not.toBe(PROBLEM_FILL);
    await tourNext('赋星', 'R5');
  });

  it('赋星: row headers clicked (Ctrl for a second row), 按类别赋星 writes ★★★★ only there (R5)', async () => {
    await page.locator('#pg-grid th[data-row="5"]').click();
    await page.locator('#pg-grid th[data-row="7"]').click({ modifiers: ['Control'] });
    expect(await page.locator('#pg-namebox').textContent()).toBe('A6:M6,A8:M8');
    const j7 = await cell('J7').textContent();
    await ribbon('starsByKind').click();
    await paneSays('已为 2 项任务赋星（按类别）');
    await expect.poll(() => cell('J6').textContent()).toBe('★★★★');
    expect(await cell('J8').textContent()).toBe('★★★★');
    expect(await cell('J7').textContent()).toBe(j7);
    await tourNext('今日提示', 'R15 R16 R22');
  });

  // The unit whose prompt the tour opens in the phone frame and answers.
  const answeredUnit = '县教育局';
  it('the clock set to Monday 23 Nov 2026 and the morning run: the prompts arrive on the units’ side by email, robot and SMS, once (R15, R17, R22)', async () => {
    await page.fill('#pg-today', '2026-11-23');
    await bannerSays('今天是 2026-11-23');
    await pane.locator('#tab-ledger').waitFor();
    await page.click('#pg-morning');
    const text = await bannerSays('2026-11-23 早间任务');
    await tourNext('单位收到提示', 'R17');
    expect(text).not.toContain('失败');
    const items = page.locator('#pg-inbox li');
    await expect.poll(() => items.count()).toBeGreaterThan(1);
    const channels = new Set(
      await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.channel)),
    );
    expect(channels.has('email')).toBe(true);
    expect([...channels].some((c) => c === 'wecom' || c === 'dingtalk' || c === 'sms')).toBe(true);
    const education = items.filter({ hasText: answeredUnit }).first();
    expect(await education.textContent()).toContain('完成县第一中学新教学楼建设');
    // R17: the same morning again sends nothing more.
    const count = await items.count();
    await page.click('#pg-morning');
    await bannerSays('单位端收到 0 条消息');
    expect(await items.count()).toBe(count);
    await tourNext('单位反馈', 'R19');
    await education.locator('button.link').first().click();
    await page.locator('#pg-phone').waitFor();
    await shot('02-units-prompts');
  });

  it('the unit answers in the phone frame; 同步台账 writes the answer into 进展情况 after its 【…反馈】 label (R19)', async () => {
    const phone: Frame = (await (await page.$('#pg-phone-frame'))!.contentFrame())!;
    await phone.waitForSelector('textarea');
    const width = await phone.evaluate(() => window.innerWidth);
    // The unit's page at a phone's width (390 CSS px).
    expect(width).toBe(390);
    await phone.fill('textarea', '主体工程已完工85%，预计12月15日前交付使用。');
    await phone.click('button');
    await phone.waitForFunction(() => document.body.textContent?.includes('已收到'));
    await shot('03-unit-answered');
    await page.click('#pg-phone-close');
    await tourNext('反馈写回台账', 'R19');
    await ribbon('syncLedger').click();
    await paneSays('写入单位反馈 1 条');
    await expect
      .poll(() => cell('K22').textContent())
      .toMatch(new RegExp(`^【11月23日 ${answeredUnit}反馈】主体工程已完工85%`));
    await tourNext('亮牌', 'R9 R10 R13 R14');
  });

  it('橙牌 on the late task, 约谈登记 twice: the unit turns red, the red checklist is shown and tickable (R10, R12, R13, R14)', async () => {
    await cell('C12').click();
    await ribbon('orangeCard').click();
    expect(await paneSays('友政督警〔2026〕1号')).toMatch(/限 \d{4}-\d{2}-\d{2} 前整改/);
    await expect.poll(() => fillOf('A12')).toBe(ORANGE);
    await tourNext('约谈两次即红牌', 'R11 R12');
    for (const n of [1, 2]) {
      // A ShowTaskpane button: the pane opens at its view (from the pane's home, since Office does not
      // reload a pane already showing that page).
      await ribbon('pane:').click();
      await ribbon('pane:interview').click();
      const form = pane.locator('#interview-form');
      await expect.poll(() => form.locator('input[name=unit]').inputValue()).toBe('县工信局');
      await form.locator('input[name=leader]').fill('张海涛');
      await form.locator('input[name=interviewee]').fill('李建军');
      await form
        .locator('textarea[name=record]')
        .fill(n === 1 ? '项目环评滞后，要求限期整改' : '整改仍不到位');
      await form.locator('button[type=submit]').click();
      await paneSays(n === 1 ? '本年度第 1 次' : '亮红牌（R12）');
    }
    await expect.poll(() => fillOf('A12')).toBe(RED);
    const checklist = pane.locator('.red-checklist[data-unit="县工信局"]');
    await checklist.waitFor();
    expect(await checklist.locator('label').count()).toBe(4);
    await checklist.locator('input[name=explain]').check();
    await paneSays('已记录：牵头领导在县政府常务会议上作情况说明（已完成）');
    await shot('04-red-card');
    await tourNext('督检汇总', 'R20 R21');
  });

  it('督检汇总: the round-up of the period with the unit’s feedback, from the ribbon (R20, R21)', async () => {
    await ribbon('pane:roundup').click();
    await pane.locator('#roundup-table').waitFor({ timeout: 20_000 });
    expect(await pane.locator('#roundup-table tr').count()).toBeGreaterThan(5);
    expect(await pane.locator('#roundup-table').textContent()).toContain('县工信局');
    await shot('05-roundup');
  });

  it('the pane closed (×): a ribbon command shows its outcome in Office’s dialog, which the visitor closes; 督办面板 opens the pane again', async () => {
    await page.click('#pg-pane-close');
    await page.locator('#pg-pane-closed').waitFor();
    await ribbon('checkLedger').click();
    const dialog = page.frameLocator('#pg-dialog-frame');
    await dialog.locator('#status', { hasText: '台账检查完成' }).waitFor({ timeout: 20_000 });
    expect(await ribbon('checkLedger').isDisabled()).toBe(true);
    await dialog.locator('#close').click();
    await page.locator('#pg-dialog').waitFor({ state: 'hidden' });
    await expect.poll(() => ribbon('checkLedger').isDisabled()).toBe(false);
    await ribbon('pane:').click();
    await pane.locator('#tab-ledger').waitFor();
  });

  it('重置: fresh example data, an empty units’ side, the tour back at its first step; nothing left the loopback', async () => {
    expect(await page.locator('#pg-tour .step').textContent()).toBe('导览 10/10');
    expect(await page.locator('#pg-tour-next').isDisabled()).toBe(true);
    await page.click('#pg-reset');
    await bannerSays('已重置');
    await expect.poll(() => cell('E20').textContent()).toBe('');
    expect(await page.locator('#pg-grid').textContent()).not.toContain('DB-2026-');
    expect(await page.locator('#pg-inbox li').count()).toBe(0);
    expect(await page.locator('#pg-tour .step').textContent()).toBe('导览 1/10');
    await pane.locator('#tab-ledger').waitFor();
    // The reset backend knows nothing of the morning's cards: 同步台账 numbers the ledger afresh.
    await ribbon('syncLedger').click();
    await paneSays('已同步 16 项任务，新编督办编号 16 个');
    expect(await fillOf('A12')).not.toBe(RED);
    expect(offLoopback).toEqual([]);
  });
});
