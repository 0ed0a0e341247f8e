// 设置: the backend's address, the key, the clerk's name and the ledger id, kept in this browser only
// (never in the workbook), with who the backend takes the pane for and 测试连接.
import { savePrefs, type Prefs } from '../../prefs.js';
import type { PaneContext } from '../context.js';
import { backendUrlAccepted } from '../decisions.js';
import { clear, h, value } from '../dom.js';

export function renderSettings(ctx: PaneContext): void {
  const prefs = ctx.env.prefs();
  // Who the backend takes this pane for: with a clerk's own key, every record names that clerk.
  const signedIn = h(
    'p',
    { id: 'signed-in', class: 'small' },
    prefs.functionKey ? '正在确认登录身份…' : '尚未填写密钥。',
  );
  if (prefs.functionKey)
    void Promise.resolve()
      .then(() => ctx.env.api().whoami())
      .then(
        (me) => {
          signedIn.textContent = me.clerk
            ? `已登录：${me.clerk}（本人密钥，记录一律署名 ${me.clerk}）`
            : '使用办公室通用密钥：记录署名为上方填写的经办人。建议为每位文书单独生成密钥（duban clerk add 姓名）。';
        },
        (e: unknown) => {
          signedIn.textContent = `无法确认登录身份：${e instanceof Error ? e.message : String(e)}`;
        },
      );
  const testConnection = () =>
    void ctx.act('正在连接督办后台…', async () => {
      const units = await ctx.env.api().units(ctx.env.today());
      return { level: 'success', text: `已连接督办后台（${units.length} 个单位有记录）。` };
    });
  const form = h(
    'form',
    { id: 'settings-form' },
    h(
      'label',
      { class: 'field' },
      h('span', {}, '督办后台地址（以 /api 结尾）'),
      h('input', { name: 'backendUrl', value: prefs.backendUrl }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '功能密钥（x-functions-key）'),
      h('input', { name: 'functionKey', type: 'password', value: prefs.functionKey, autocomplete: 'off' }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '经办人'),
      h('input', { name: 'clerk', value: prefs.clerk }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '台账标识（留空则为 ledger-年度）'),
      h('input', { name: 'ledgerId', value: prefs.ledgerId }),
    ),
    h('p', { class: 'muted small' }, '以上内容只保存在本机浏览器中，不写入工作簿。'),
    signedIn,
    h(
      'div',
      { class: 'row' },
      h('button', { class: 'btn primary', type: 'submit' }, '保存'),
      h(
        'button',
        { class: 'btn', type: 'button', id: 'test-connection', onclick: testConnection },
        '测试连接',
      ),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next: Prefs = {
      backendUrl: value(form, 'backendUrl').trim(),
      functionKey: value(form, 'functionKey').trim(),
      clerk: value(form, 'clerk').trim(),
      ledgerId: value(form, 'ledgerId').trim(),
    };
    if (!backendUrlAccepted(next.backendUrl)) {
      ctx.showStatus({
        level: 'error',
        text: '后台地址须以 https:// 开头（本机调试可用 /api 或 http://localhost）。设置未保存。',
      });
      return;
    }
    savePrefs(ctx.storage, next);
    ctx.showStatus({ level: 'success', text: '设置已保存。' });
  });
  clear(ctx.view, h('h2', {}, '设置'), form);
}
