// The dialog a ribbon command opens when no task pane is open (notice.html): the command's outcome,
// read from the mailbox (same-origin localStorage), and a 关闭 button that tells the command to close it.
import { STATUS_KEY, readEnvelope, type Status } from '../mailbox.js';
import { clear, h } from './dom.js';

export function renderNotice(root: HTMLElement, status: Status | null, close: () => void): void {
  clear(
    root,
    h(
      'div',
      { class: 'status', id: 'status', role: 'status', 'data-level': status?.level ?? 'info' },
      h('div', { class: 'text' }, status ? status.text : '没有需要显示的结果。'),
      status?.details?.length
        ? h(
            'ul',
            {},
            status.details.slice(0, 12).map((d) => h('li', {}, d)),
          )
        : null,
    ),
    h(
      'p',
      { class: 'muted small' },
      '督办面板未打开。需要填写的内容（亮牌理由等）和“重试”在面板中：请点功能区“督办”→“督办面板”。',
    ),
    h('button', { class: 'btn primary', id: 'close', onclick: close }, '关闭'),
  );
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  let status: Status | null = null;
  try {
    status = readEnvelope<Status>(window.localStorage, STATUS_KEY);
  } catch {
    status = null;
  }
  renderNotice(root, status, () => {
    try {
      Office.context.ui.messageParent('close');
    } catch {
      window.close();
    }
  });
}

if ((globalThis as { __dubanOldHost?: string }).__dubanOldHost) {
  // the ES5 guard of notice.html has written the message
} else if (typeof Office === 'undefined') start();
else void Office.onReady(start);
