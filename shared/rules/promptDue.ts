// R18 at delivery time: a prompt was queued for an open task; by the time it is sent (a retry hours
// later, a requeue days later) the task may have been closed (销号, R3) or left the ledger. Whether it
// is still to be sent is decided here once.
export interface PromptTaskState {
  closed: boolean;
  removed: boolean;
}

/**
 * R18: the reason a queued prompt is no longer sent, or null to send it. A task the office's records
 * do not know (e.g. queued by hand) is sent: the queue is the office's decision.
 */
export function promptCancellation(task: PromptTaskState | null): string | null {
  if (!task) return null;
  if (task.closed) return '任务已销号，提示不再发送（R3、R18）';
  if (task.removed) return '任务已从台账移除，提示不再发送（R18）';
  return null;
}
