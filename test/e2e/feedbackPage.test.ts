// The unit's feedback page as a unit head sees it: headless Chromium at 390×844 (a phone; WeCom and
// DingTalk open links in Chromium WebViews), against the dev host over real HTTP. R19: who asks, the
// task with its 序号, measures, deadline and stars, the period in words, the due date and lateness,
// last time's answer prefilled, a 4★ indicator and a 5★ task's milestones; the form submits without
// script; nothing scrolls sideways. Screenshots go to test-output/screenshots (docs/ keeps copies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, task, type TestApi } from '../functions/support/api.js';
import { recordReminders } from '../../functions/storage/index.js';

const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const L = 'phone-ledger';
const UNIT = '县农业农村局';
let api: TestApi;
let browser: Browser;
const clock = new Date('2026-12-03T02:00:00Z');

async function link(taskId: string, period: string): Promise<string> {
  const res = await api.call('POST', '/feedback-links', {
    body: { ledgerId: L, unit: UNIT, taskId, period, expires: '2027-01-31' },
  });
  expect(res.status).toBe(201);
  return res.body.url as string;
}

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 wxwork/4.1.20',
  });
  // Nothing but the page's own address is fetched (no CDN, no font).
  await context.route(/^(?!http:\/\/localhost:)/, (route) => route.abort());
  return context.newPage();
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client, widest } = await page.evaluate(() => {
    const doc = document.documentElement;
    let widest = 0;
    for (const el of Array.from(document.querySelectorAll('body *')))
      widest = Math.max(widest, el.getBoundingClientRect().right);
    return { scroll: doc.scrollWidth, client: doc.clientWidth, widest };
  });
  expect(scroll).toBeLessThanOrEqual(client);
  expect(widest).toBeLessThanOrEqual(client + 0.5);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = await startApi('phone', {
    now: () => clock,
    env: { DUBAN_OFFICE_NAME: '友谊县人民政府督办检查室', DUBAN_OFFICE_PHONE: '0469-5123456' },
  });
  const sync = await api.call('POST', '/ledger/sync', {
    body: {
      ledgerId: L,
      year: 2026,
      by: '李文书',
      tasks: [
        task('P3', {
          row: 4,
          no: '3',
          title:
            '推进高标准农田建设，完成年度建设任务并做好后期管护工作（含灌排设施、田间道路、农田防护林网的配套建设）',
          measures: '按月调度进度，县农业农村局牵头，各乡镇配合，确保12月底前全部完工并通过县级验收',
          leadUnit: UNIT,
          stars: 3,
          deadline: { text: '2026年12月31日', date: '2026-12-31', recurrence: null },
        }),
        task('P4', {
          row: 5,
          no: '4',
          title: '粮食播种面积稳定在85万亩以上',
          leadUnit: UNIT,
          stars: 4,
          category: 'indicator',
          target: { value: 85, unit: '万亩' },
        }),
        task('P5', {
          row: 6,
          no: '5',
          title: '现代农业产业园项目',
          leadUnit: UNIT,
          stars: 5,
          category: 'major',
          milestones: [
            { text: '完成项目立项', date: '2026-03-31', done: true },
            { text: '主体工程开工', date: '2026-06-30', done: false },
            { text: '设备安装调试', date: '2026-11-30', done: false },
          ],
        }),
      ],
    },
  });
  expect(sync.status).toBe(200);
  const reminder = (
    taskId: string,
    taskNo: string,
    stars: 3 | 4 | 5,
    period: string,
    feedbackDue: string,
  ) => ({
    key: `${L}|${taskId}|${period}|weekly`,
    queuedOn: '2026-11-30',
    reminder: {
      taskId,
      taskNo,
      leadUnit: UNIT,
      stars,
      period,
      reason: 'weekly' as const,
      sendOn: '2026-11-30',
      feedbackDue,
      roundupOn: '2026-12-07',
    },
  });
  await recordReminders(api.storage, L, [
    reminder('P3', '3', 3, '2026-W49', '2026-12-04'),
    reminder('P4', '4', 4, '2026-Q4', '2026-12-25'),
    reminder('P5', '5', 5, '2026-12', '2026-12-02'),
  ]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('R19: the feedback page on a 390 px phone', () => {
  it('one link opens one page with every task of the unit’s message: each with 序号, measures, deadline, stars, period in words and due date', async () => {
    const page = await phone();
    const res = await page.goto(await link('P3', '2026-W49'));
    expect(res?.status()).toBe(200);
    await expect(page.locator('header .office').textContent()).resolves.toBe('友谊县人民政府督办检查室');
    const sections = page.locator('section.task');
    expect(await sections.count()).toBe(3);
    const text = async (i: number) => (await sections.nth(i).innerText()).replace(/\s+/g, ' ');
    const [p3, p4, p5] = [await text(0), await text(1), await text(2)];
    expect(await page.locator('main').innerText()).toContain('本次提示共 3 项任务，可在本页一次填报');
    expect(p3).toContain('〔3〕推进高标准农田建设');
    expect(p3).toContain('反馈期 2026年第49周');
    expect(p3).toContain('工作措施 按月调度进度');
    expect(p3).toContain('完成时限 2026年12月31日');
    expect(p3).toContain('三星 常规工作');
    expect(p3).toContain('请于 2026年12月4日 前反馈');
    // R6: a 4★ task asks for the indicator with its unit and target; a quarter in words.
    expect(p4).toContain('反馈期 2026年第四季度');
    expect(p4).toContain('指标完成值（万亩）');
    expect(p4).toContain('目标：85 万亩');
    expect(await page.locator('#value-1').getAttribute('inputmode')).toBe('decimal');
    // R7: a 5★ task lists its milestones with dates and done state; late feedback says so.
    expect(p5).toContain('反馈期 2026年12月');
    expect(p5).toContain('2026年3月31日：完成项目立项（已完成）');
    expect(p5).toContain('2026年6月30日：主体工程开工');
    expect(p5).toContain('反馈已逾期：应于 2026年12月2日 前反馈');
    expect(await page.locator('input[name="m.2"]').count()).toBe(2);
    const tick = await page.locator('.ms label').first().boundingBox();
    expect(tick!.height).toBeGreaterThanOrEqual(44);
    const button = await page.locator('button[type=submit]').boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(44);
    await noSidewaysScroll(page);
    await page.screenshot({ path: join(SHOTS, 'feedback-phone-message.png'), fullPage: true });
    await page.screenshot({ path: join(SHOTS, 'feedback-phone-3star.png') });
    await sections.nth(2).scrollIntoViewIfNeeded();
    await sections.nth(2).screenshot({ path: join(SHOTS, 'feedback-phone-5star.png') });
    await page.context().close();
  });

  it('the unit answers two of the three at once; a success page; next time the answers are prefilled (减负)', async () => {
    const url = await link('P3', '2026-W49');
    const page = await phone();
    await page.goto(url);
    await page.locator('#text-0').fill('本周新建高标准农田1.2万亩，累计完成年度任务的96%。');
    await page.locator('#text-1').fill('秋播完成，播种面积稳定。');
    await page.locator('#value-1').fill('86.2');
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('button[type=submit]').click(),
    ]);
    expect(posted.status()).toBe(201);
    await page.waitForSelector('.result');
    await expect(page.locator('.result h2').textContent()).resolves.toBe('反馈已提交');
    expect(await page.locator('.result').innerText()).toContain('县农业农村局的 2 项反馈已收到');
    await noSidewaysScroll(page);
    await page.screenshot({ path: join(SHOTS, 'feedback-phone-done.png'), fullPage: true });
    const list = await api.call('GET', `/feedback?ledgerId=${L}&since=2026-12-01T00:00:00.000Z`);
    expect(
      list.body.feedback.map((f: { taskId: string; period: string; value?: number }) => [
        f.taskId,
        f.period,
        f.value ?? null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['P3', '2026-W49', null],
        ['P4', '2026-Q4', 86.2],
      ]),
    );
    expect(list.body.feedback).toHaveLength(2);

    await page.goto(url);
    await expect(page.locator('#text-0').inputValue()).resolves.toBe(
      '本周新建高标准农田1.2万亩，累计完成年度任务的96%。',
    );
    await expect(page.locator('#value-1').inputValue()).resolves.toBe('86.2');
    expect(await page.locator('main').innerText()).toContain(
      '上次反馈（2026年12月3日，2026年第49周）已预先填入',
    );
    await page.context().close();
  });

  it('a revoked link opens a clear page saying whom to call', async () => {
    const url = await link('P3', '2026-W50');
    const revoke = await api.call('POST', `/units/${encodeURIComponent(UNIT)}/links/revoke`, { body: {} });
    expect(revoke.status).toBe(200);
    const page = await phone();
    const res = await page.goto(url);
    expect(res?.status()).toBe(410);
    const body = await page.locator('main').innerText();
    expect(body).toContain('链接已作废');
    expect(body).toContain('0469-5123456');
    expect(await page.locator('a.tel').getAttribute('href')).toBe('tel:0469-5123456');
    await noSidewaysScroll(page);
    await page.screenshot({ path: join(SHOTS, 'feedback-phone-revoked.png'), fullPage: true });
    await page.context().close();
  });
});
