// Limits of `pitwall serve`, in one place: sizes, rates, connection counts and timeouts, and the counters of what
// was refused (exposed in /metrics).

export interface Limits {
  /** Largest WebSocket message and HTTP body accepted, bytes. */
  maxMessageBytes: number;
  /** Calls per second one connection may sustain, and the burst it may spend at once. */
  callsPerSecond: number;
  burst: number;
  /** WebSocket connections (sessions) at once. */
  maxSessions: number;
  /** A WebSocket that answers no ping for this long is dropped. */
  heartbeatMs: number;
  /** HTTP: time to receive the headers / the whole request; idle keep-alive. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 64 * 1024,
  callsPerSecond: 50,
  burst: 200,
  maxSessions: 100,
  heartbeatMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/** A token bucket: `take()` is false when the caller is over its rate. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export type RefusalReason =
  | 'host'
  | 'origin'
  | 'content_type'
  | 'too_large'
  | 'unauthorized'
  | 'forbidden_role'
  | 'rate_limited'
  | 'sessions_full'
  | 'binary_frame'
  | 'bad_request';

/** Counts refusals by reason, printed in Prometheus text format into /metrics. */
export class RefusalCounter {
  private readonly counts = new Map<RefusalReason, number>();

  inc(reason: RefusalReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  get(reason: RefusalReason): number {
    return this.counts.get(reason) ?? 0;
  }

  prometheus(): string {
    const reasons: RefusalReason[] = ['host', 'origin', 'content_type', 'too_large', 'unauthorized', 'forbidden_role', 'rate_limited', 'sessions_full', 'binary_frame', 'bad_request'];
    const lines = [
      '# HELP pitwall_server_refused_total Requests, connections and calls refused by pitwall serve, by reason',
      '# TYPE pitwall_server_refused_total counter',
      ...reasons.map((r) => `pitwall_server_refused_total{reason="${r}"} ${this.get(r)}`),
    ];
    return lines.join('\n') + '\n';
  }
}
