// Limits for delivery at volume (R17): how many sends of one kind of channel are in flight at once, and
// how many messages one WeCom or DingTalk group robot takes in a minute (about 20: beyond that the
// robot answers "发送过于频繁" and drops the message). Time comes from an injected clock, so that a
// test or a benchmark can run a morning's worth of windows without sleeping.

/** The delivery's notion of time: the wall clock in production, a manual one in tests. */
export interface DeliveryClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: DeliveryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that moves only when slept on (or set): tests and benchmarks of the rate limit. */
export function manualClock(startMs: number): DeliveryClock & { set(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
    set: (ms) => {
      t = Math.max(t, ms);
    },
  };
}

export interface RateLimit {
  /** Messages a robot takes per window. */
  limit: number;
  windowMs: number;
}

/** WeCom and DingTalk group robots: 20 messages a minute each. */
export const ROBOT_RATE_LIMIT: RateLimit = { limit: 20, windowMs: 60_000 };

/**
 * A sliding window per key (one robot): at most `limit` sends in any `windowMs`. The log lives as long
 * as the limiter: a delivery run makes its own, so a run started within a minute of another does not
 * see what that one sent — the robot's own "too many" answer (errcode 45009/130101, HTTP 429) then
 * holds the part back for the next window, never dropping it.
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly rate: RateLimit,
    readonly clock: DeliveryClock = systemClock,
  ) {}

  /** Sends in the current window, oldest first, after forgetting those that left it. */
  private window(key: string): number[] {
    const since = this.clock.now() - this.rate.windowMs;
    const log = (this.sent.get(key) ?? []).filter((t) => t > since);
    if (log.length) this.sent.set(key, log);
    else this.sent.delete(key);
    return log;
  }

  /** Takes a slot now if the window has one (true); otherwise the instant (ms) the next one frees. */
  tryTake(key: string): true | number {
    const log = this.window(key);
    if (log.length < this.rate.limit) {
      log.push(this.clock.now());
      this.sent.set(key, log);
      return true;
    }
    return log[log.length - this.rate.limit]! + this.rate.windowMs;
  }

  /**
   * Takes a slot, waiting (on the clock) for the window to free one as long as that happens by
   * `deadline`; true when taken, or the instant the next slot frees when that is past the deadline.
   */
  async take(key: string, deadline: number): Promise<true | number> {
    for (;;) {
      const got = this.tryTake(key);
      if (got === true) return true;
      if (got > deadline) return got;
      await this.clock.sleep(got - this.clock.now());
    }
  }

  /** Sends recorded for `key` in the current window. */
  inWindow(key: string): number {
    return this.window(key).length;
  }
}

/** At most `n` calls of `fn` running at once; the others queue in order. */
export function concurrencyLimit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A finishing call hands its slot straight to the next in line, so none can slip in between.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
