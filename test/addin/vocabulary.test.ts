// One vocabulary (R8, R17): the history event types and outbox statuses the backend writes are the ones
// the pane names. Defined once in shared/api.ts; this fails when either side drifts from it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EVENT_TYPE_NAMES,
  HistoryEventViewSchema,
  OUTBOX_STATUSES,
  OutboxItemViewSchema,
  type EventType,
} from '../../shared/api.js';
import { deliveryName, describeEvent } from '../../addin/src/taskpane/vocabulary.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every event type the backend's code writes: the `type` beside a `subject` (a NewEvent). */
function writtenEventTypes(): Set<string> {
  const types = new Set<string>();
  for (const file of sources('functions')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/subject:[^;]{0,200}?type:\s*'([^']+)'/gs)) types.add(m[1]!);
  }
  return types;
}

const event = (type: string, data: Record<string, unknown> = {}) => ({
  id: 'e1',
  type,
  at: '2026-03-17T00:00:00.000Z',
  date: '2026-03-17',
  by: '李文书',
  data,
});

describe('one vocabulary for the pane and the backend', () => {
  it('R8: every event type the backend writes is in the shared list, and the pane names each in Chinese', () => {
    const written = writtenEventTypes();
    expect(written.size).toBeGreaterThan(10);
    for (const type of written) expect(EVENT_TYPES).toContain(type);
    for (const type of EVENT_TYPES) {
      const line = describeEvent(HistoryEventViewSchema.parse(event(type)));
      expect(line.startsWith('2026-03-17 ')).toBe(true);
      expect(line).toContain(EVENT_TYPE_NAMES[type as EventType].slice(0, 2));
      expect(line).not.toContain(type);
    }
  });

  it('R8: the pane reads the sync as the backend writes it (ledger-sync), never a `synced` event', () => {
    expect(describeEvent(HistoryEventViewSchema.parse(event('ledger-sync')))).toBe(
      '2026-03-17 同步台账（李文书）',
    );
    expect(HistoryEventViewSchema.safeParse(event('synced')).success).toBe(false);
  });

  it('R17: every outbox status has its Chinese name, cancelled and stale included; `delivered` is not a status', () => {
    expect(OUTBOX_STATUSES.map(deliveryName)).toEqual([
      '待发送',
      '发送中',
      '已送达',
      '重试中',
      '发送失败',
      '已取消',
      '已过期未发',
    ]);
    const item = {
      key: 'L|T1|2026-Q1|quarterly',
      sendOn: '2026-03-17',
      ledgerId: 'L',
      taskId: 'T1',
      taskNo: '1',
      unit: '县财政局',
      period: '2026-Q1',
      status: 'cancelled',
      attempts: 0,
      lastError: '任务已销号',
      sentAt: null,
      channels: [],
    };
    expect(OutboxItemViewSchema.safeParse(item).success).toBe(true);
    expect(OutboxItemViewSchema.safeParse({ ...item, status: 'delivered' }).success).toBe(false);
    // The day an entry is due is `sendOn`, as the backend sends it (there is no `date`).
    const { sendOn: _sendOn, ...withoutSendOn } = item;
    expect(OutboxItemViewSchema.safeParse({ ...withoutSendOn, date: '2026-03-17' }).success).toBe(false);
  });

  it('R17: a delivered prompt in a task’s history says how it went', () => {
    expect(describeEvent(HistoryEventViewSchema.parse(event('prompt', { status: 'failed' })))).toBe(
      '2026-03-17 提示投递：发送失败（李文书）',
    );
  });
});
