// `duban clerk add NAME | list | revoke NAME-OR-ID [--json]`: a key per clerk, against the configured
// storage. `add` prints the key once (only its hash is stored); `revoke` stops every key of the clerk
// (or the one key with that id) at once. Each change is an event of the office's history.
import { parse, type Io } from './main.js';
import { UsageError } from './errors.js';
import { chinaToday } from '../../shared/dates.js';
import { needsCleaning } from '../../shared/text.js';
import { now, runtimeStorage } from '../runtime/index.js';
import { addClerk, appendEvents, listClerks, revokeClerk, revokeUnitLinks } from '../storage/index.js';
import { renderTable } from './table.js';

export async function clerkCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {});
  const [action, ...names] = positionals;
  const storage = await runtimeStorage();
  const at = now();
  const name = names.join(' ').trim();
  if (action === 'add') {
    if (!name) throw new UsageError('请提供文书姓名，如：duban clerk add 王文书');
    if (name.length > 50 || needsCleaning(name) || /\p{Cc}/u.test(name))
      throw new UsageError('文书姓名过长（最多 50 字）或含有不可见的控制字符');
    const clerk = await addClerk(storage, name, at.toISOString());
    await appendEvents(
      storage,
      [
        {
          subject: { office: true },
          type: 'clerk-key-added',
          date: chinaToday(at),
          by: 'duban clerk',
          data: { id: clerk.id, name },
        },
      ],
      at,
    );
    if (values.json) io.out(JSON.stringify(clerk));
    else {
      io.out(`已为「${name}」生成访问密钥（编号 ${clerk.id}），只显示这一次，请妥善交给本人：`);
      io.out(clerk.key);
      io.out('在任务窗格「设置」中填入此密钥；丢失或泄露时：duban clerk revoke ' + name);
    }
    return 0;
  }
  if (action === 'list') {
    const clerks = await listClerks(storage);
    if (values.json) io.out(JSON.stringify(clerks));
    else if (clerks.length === 0) io.out('尚无文书密钥：duban clerk add 姓名');
    else
      io.out(
        renderTable(
          ['编号', '文书', '生成时间', '状态'],
          clerks.map((c) => [c.id, c.name, c.createdAt, c.revokedAt ? `已吊销 ${c.revokedAt}` : '有效']),
        ),
      );
    return 0;
  }
  if (action === 'revoke') {
    if (!name) throw new UsageError('请提供文书姓名或密钥编号，如：duban clerk revoke 王文书');
    const revoked = await revokeClerk(storage, name, at.toISOString());
    if (revoked.length === 0) throw new UsageError(`没有「${name}」的有效密钥（duban clerk list 查看）`);
    await appendEvents(
      storage,
      [
        {
          subject: { office: true },
          type: 'clerk-key-revoked',
          date: chinaToday(at),
          by: 'duban clerk',
          data: { ids: revoked.map((c) => c.id), name },
        },
      ],
      at,
    );
    if (values.json) io.out(JSON.stringify(revoked));
    else io.out(`已吊销「${name}」的 ${revoked.length} 个密钥，立即失效`);
    return 0;
  }
  throw new UsageError('用法：duban clerk add 姓名 | duban clerk list | duban clerk revoke 姓名或编号');
}

/** `duban links revoke UNIT`: every feedback link of the unit stops working (a leaked link). */
export async function linksCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {});
  const [action, ...names] = positionals;
  const unit = names.join(' ').trim();
  if (action !== 'revoke' || !unit) throw new UsageError('用法：duban links revoke 单位名称');
  const storage = await runtimeStorage();
  const at = now();
  const generation = await revokeUnitLinks(storage, unit, at.toISOString());
  await appendEvents(
    storage,
    [
      {
        subject: { unit },
        type: 'links-revoked',
        date: chinaToday(at),
        by: 'duban links',
        data: { unit, generation },
      },
    ],
    at,
  );
  if (values.json) io.out(JSON.stringify({ unit, generation }));
  else io.out(`「${unit}」此前发出的反馈链接已全部作废；之后的提示消息将带新链接`);
  return 0;
}
