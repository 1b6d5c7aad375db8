// The one HTTP client of every data source: timeouts, retries with backoff, 429 + Retry-After, a per-source token
// bucket, an on-disk cache of raw responses (a re-run fetches nothing new; offline replays it), a PitWall User-Agent.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../util/version.js';

export const USER_AGENT = `PitWall/${VERSION} (Formula 1 race-engineer app; data update)`;

/** A fetch or parse failure, naming the URL (and, where the caller adds it, the race). */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(`${message} (${url})`);
  }
}

export interface RateLimit {
  /** Bucket size: requests allowed back to back. */
  burst: number;
  /** Refill rate, requests per second. */
  perSecond: number;
}

/** A token bucket; `take` waits until a token is there. Time and sleep are injectable for tests. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }
  /** Milliseconds to wait before the next token (0 when one is there); takes it when 0. */
  tryTake(): number {
    const t = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) / 1000) * this.limit.perSecond);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
  }
  /** Returns a token taken by `tryTake` (when another bucket made the request wait). */
  refund(): void {
    this.tokens = Math.min(this.limit.burst, this.tokens + 1);
  }
  /** Empties the bucket (after the server said 429). */
  drain(): void {
    this.tokens = 0;
    this.last = this.now();
  }
}

export interface HttpStats {
  /** Requests that went to the network (each retry counts). */
  requests: number;
  /** Responses replayed from the on-disk cache. */
  cached: number;
  /** 429 answers received. */
  throttled: number;
  retries: number;
}

export interface HttpClientOptions {
  /** Names the source in errors and in the cache folder. */
  source: string;
  /** Folder of the raw-response cache (created on first write). */
  cacheDir: string;
  /** Never touch the network: replay the cache, fail on a miss. */
  offline?: boolean;
  /** Rate limits that all apply (e.g. a burst bucket and an hourly one). */
  limits?: RateLimit[];
  timeoutMs?: number;
  /** Attempts after the first. */
  retries?: number;
  /** First backoff; doubles each retry (plus up to 25 % jitter). */
  backoffMs?: number;
  /** Longest Retry-After honoured before giving up (ms). */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** Called before each network request and each cache replay. */
  onRequest?: (e: { url: string; cached: boolean; attempt: number }) => void;
}

export interface GetOptions {
  /** Use a cached copy when there is one (otherwise only offline reads the cache). Default true. */
  reuse?: boolean;
  /** Whether to keep this response in the cache (e.g. not an empty result that will fill in later). Default: keep. */
  keep?: (body: string) => boolean;
  /** Cache a 404 too (a file the archive will never have), so re-runs and --offline know it is absent. */
  keepMissing?: boolean;
}

interface CacheEntry {
  url: string;
  fetchedAt: string;
  body: string;
  /** Set for a cached 404. */
  status?: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HttpClient {
  readonly stats: HttpStats = { requests: 0, cached: 0, throttled: 0, retries: 0 };
  private readonly buckets: TokenBucket[];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly opts: HttpClientOptions) {
    this.buckets = (opts.limits ?? []).map((l) => new TokenBucket(l));
    this.sleep = opts.sleep ?? realSleep;
  }

  cacheFile(url: string): string {
    const h = createHash('sha256').update(url).digest('hex');
    return join(this.opts.cacheDir, h.slice(0, 2), `${h.slice(2, 24)}.json`);
  }

  private readCache(url: string): CacheEntry | undefined {
    const f = this.cacheFile(url);
    if (!existsSync(f)) return undefined;
    try {
      const e = JSON.parse(readFileSync(f, 'utf8')) as CacheEntry;
      return e.url === url ? e : undefined;
    } catch {
      return undefined; // a torn or foreign file: fetch again
    }
  }

  private writeCache(url: string, body: string, status?: number): void {
    const f = this.cacheFile(url);
    mkdirSync(join(f, '..'), { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ url, fetchedAt: new Date().toISOString(), body, status } satisfies CacheEntry));
    renameSync(tmp, f); // atomic: an interrupted run never leaves half a response
  }

  /** GET `url` as text, from the cache when allowed, else from the network (rate-limited, retried). */
  async getText(url: string, o: GetOptions = {}): Promise<string> {
    if (o.reuse !== false || this.opts.offline) {
      const hit = this.readCache(url);
      if (hit !== undefined) {
        this.stats.cached++;
        this.opts.onRequest?.({ url, cached: true, attempt: 0 });
        if (hit.status === 404) throw new SourceError(`${this.opts.source}: HTTP 404 Not Found (cached)`, url, 404);
        return hit.body;
      }
    }
    if (this.opts.offline) throw new SourceError(`${this.opts.source}: offline and no cached response`, url);
    let body: string;
    try {
      body = await this.fetchWithRetry(url);
    } catch (e) {
      if (o.keepMissing && e instanceof SourceError && e.status === 404) this.writeCache(url, '', 404);
      throw e;
    }
    if (o.keep?.(body) ?? true) this.writeCache(url, body);
    return body;
  }

  /** GET and parse JSON; malformed JSON is a SourceError naming the URL. */
  async getJson(url: string, o: GetOptions = {}): Promise<unknown> {
    const text = await this.getText(url, o);
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      throw new SourceError(`${this.opts.source}: malformed JSON (${(e as Error).message})`, url);
    }
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const waits = this.buckets.map((b) => b.tryTake());
      const wait = Math.max(0, ...waits);
      if (wait === 0) return;
      // Give back the tokens taken from buckets that had one, then wait for the slowest.
      this.buckets.forEach((b, i) => waits[i] === 0 && b.refund());
      await this.sleep(wait);
    }
  }

  private async fetchWithRetry(url: string): Promise<string> {
    const retries = this.opts.retries ?? 5;
    const base = this.opts.backoffMs ?? 500;
    const doFetch = this.opts.fetch ?? fetch;
    let lastError = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.opts.signal?.aborted) throw new SourceError(`${this.opts.source}: interrupted`, url);
      await this.waitForToken();
      this.stats.requests++;
      if (attempt > 0) this.stats.retries++;
      this.opts.onRequest?.({ url, cached: false, attempt });
      const backoff = base * 2 ** attempt * (1 + Math.random() * 0.25);
      let res: Response;
      try {
        const signals = [AbortSignal.timeout(this.opts.timeoutMs ?? 30_000)];
        if (this.opts.signal) signals.push(this.opts.signal);
        res = await doFetch(url, {
          headers: { 'user-agent': USER_AGENT, accept: 'application/json, */*' },
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        lastError = err.name === 'TimeoutError' ? 'timed out' : (err.cause?.code ?? err.message);
        if (this.opts.signal?.aborted) throw new SourceError(`${this.opts.source}: interrupted`, url);
        if (attempt < retries) await this.sleep(backoff);
        continue;
      }
      if (res.status === 429) {
        this.stats.throttled++;
        // Over the short-term limit: empty the fast buckets (a slow hourly one keeps its count).
        for (const b of this.buckets) if (b.limit.perSecond >= 1) b.drain();
        const after = retryAfterMs(res.headers.get('retry-after'));
        await res.body?.cancel();
        lastError = 'HTTP 429 Too Many Requests';
        if (after !== null && after > (this.opts.maxRetryAfterMs ?? 3_600_000))
          throw new SourceError(`${this.opts.source}: rate limited for ${Math.round(after / 1000)} s (Retry-After)`, url, 429);
        if (attempt < retries) await this.sleep(Math.max(after ?? 0, backoff));
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        lastError = `HTTP ${res.status}`;
        if (attempt < retries) await this.sleep(backoff);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new SourceError(`${this.opts.source}: HTTP ${res.status} ${res.statusText}`, url, res.status);
      }
      try {
        return await res.text();
      } catch (e) {
        lastError = `response cut off (${(e as Error).message})`;
        if (attempt < retries) await this.sleep(backoff);
      }
    }
    throw new SourceError(`${this.opts.source}: failed after ${retries + 1} attempts: ${lastError}`, url);
  }
}

/** Retry-After as seconds or an HTTP date → milliseconds; null when absent or unreadable. */
export function retryAfterMs(v: string | null, now = Date.now()): number | null {
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}
