// The backend client on its own: what the clerk is told when the backend misbehaves on the wire.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, DubanApi } from '../../addin/src/api/client.js';
import { runRibbonCommand } from '../../addin/src/commands/ribbon.js';
import { failure } from '../../addin/src/commands/actions.js';

let silent: Server;
let url: string;
beforeAll(async () => {
  // Accepts every connection and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
});

describe('the backend client', () => {
  it('a backend that accepts the connection and never answers ends in “unreachable” with a retry, not a hang', async () => {
    const api = new DubanApi({ url, key: 'k' }, undefined, 300);
    const err = await api.units('2026-03-20').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ kind: 'unreachable' });
    expect((err as Error).message).toContain('秒内没有应答');
  });
});

describe('a ribbon command', () => {
  it('calls event.completed() even when its environment cannot be built (localStorage blocked)', async () => {
    let completed = 0;
    const outcome = await runRibbonCommand(
      'syncLedger',
      () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      { completed: () => void completed++ },
    );
    expect(completed).toBe(1);
    expect(outcome.level).toBe('error');
  });
});

describe('an Excel error', () => {
  it('is said in Chinese first, Excel’s own (possibly English) message after it', () => {
    const err = Object.assign(new Error('You cannot perform the requested operation.'), {
      code: 'InvalidOperationInCellEditMode',
    });
    expect(failure(err).text).toBe(
      '操作未完成，工作簿未被修改：单元格正在编辑，请先按 Enter 或 Esc 结束编辑（You cannot perform the requested operation.）',
    );
  });
});
