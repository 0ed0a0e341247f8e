/** An error the command reports as a clear message with exit code 2 (bad arguments, unreadable input). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
