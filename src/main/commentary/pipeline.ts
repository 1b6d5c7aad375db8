// The commentary pipeline: queue → rate limit → context → prompt → generator → validator → broadcaster.
// Runs asynchronously beside the replay clock (never blocks it). The primary generator is Claude or the offline
// templates; a Claude line that fails the fact check is regenerated once, then replaced by the offline line.
import type { CommentaryLine, CommentaryStyle, RaceEvent } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import type { Timeline } from '../replay/timeline.js';
import { buildContext, type Facts } from './context.js';
import type { Generator } from './generator.js';
import { OfflineGenerator } from './offline.js';
import { buildPrompt } from './prompt.js';
import { EventQueue, type QueueItem } from './queue.js';
import { FactChecker, RateLimiter, type Verdict } from './validator.js';

export interface PipelineOptions {
  timeline: Timeline;
  style?: CommentaryStyle;
  generator?: Generator; // default: offline
  seed?: number;
  perMinute?: number;
  db?: Db;
  checker?: FactChecker;
  /** Live mode: skip non-critical items older than this (s of race time) when the generator falls behind. */
  maxAge?: number;
  onLine?: (line: CommentaryLine) => void;
}

let lineSeq = 0;
const BREAKER_FAILURES = 3;
const BREAKER_MS = 30_000;

export class CommentaryPipeline {
  style: CommentaryStyle;
  readonly lines: CommentaryLine[] = [];
  readonly stats = { queued: 0, rateLimited: 0, stale: 0, duplicates: 0, regenerated: 0, fallbacks: 0, claude: 0, offline: 0 };
  private readonly queue = new EventQueue();
  private readonly limiter: RateLimiter;
  private readonly offline: OfflineGenerator;
  private readonly checker: FactChecker;
  private readonly said = new Set<string>();
  private readonly recent: RaceEvent[] = [];
  private running: Promise<void> | null = null;
  private now = 0;
  private generation = 0;
  private failures = 0;
  private breakerUntil = 0;

  constructor(private readonly opts: PipelineOptions) {
    this.style = opts.style ?? 'casual';
    this.limiter = new RateLimiter(opts.perMinute ?? 6);
    this.offline = new OfflineGenerator(opts.seed ?? 1);
    this.checker = opts.checker ?? new FactChecker();
  }

  /** Enqueue events that just happened (race time `now`) and start working if idle. */
  push(events: RaceEvent[], now = events[events.length - 1]?.time ?? this.now): Promise<void> {
    this.now = Math.max(this.now, now);
    this.queue.push(events);
    this.stats.queued += events.length;
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  /** Batch: the whole race in time order, bursts handled together (CLI, bench). */
  async runAll(events: RaceEvent[], windowS = 20): Promise<CommentaryLine[]> {
    let i = 0;
    while (i < events.length) {
      const t0 = events[i]!.time;
      let j = i;
      while (j < events.length && events[j]!.time < t0 + windowS) j++;
      await this.push(events.slice(i, j), events[j - 1]!.time);
      i = j;
    }
    return this.lines;
  }

  /** After a seek: forget the queue and the rate window; lines already said stay said. */
  reset(t: number): void {
    this.queue.clear();
    this.limiter.reset();
    this.now = t;
    this.generation++;
  }

  since(id?: string): CommentaryLine[] {
    if (id === undefined || id === '') return this.lines.slice(-200);
    const at = this.lines.findIndex((l) => l.id === id);
    if (at >= 0) return this.lines.slice(at + 1);
    const t = Number(id);
    return Number.isFinite(t) ? this.lines.filter((l) => l.time > t) : this.lines.slice(-200);
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.opts.maxAge !== undefined) this.stats.stale += this.queue.dropStale(this.now, this.opts.maxAge);
      const item = this.queue.pop();
      if (!item) return;
      const e = item.primary;
      const key = `${e.type}|${e.driver ?? ''}|${e.other ?? ''}|${e.lap}`;
      if (this.said.has(e.id) || this.said.has(key)) {
        this.stats.duplicates++;
        continue;
      }
      if (!this.limiter.admit(e.priority, e.time)) {
        this.stats.rateLimited++;
        continue;
      }
      for (const x of [e, ...item.also]) this.said.add(x.id);
      this.said.add(key);
      const gen = this.generation;
      const line = await this.produce(item);
      if (gen !== this.generation) continue; // a seek happened meanwhile
      this.recent.push(e);
      this.lines.push(line);
      this.opts.onLine?.(line);
    }
  }

  private async produce(item: QueueItem): Promise<CommentaryLine> {
    const e = item.primary;
    const facts = buildContext(this.opts.timeline, e, item.also, { db: this.opts.db, recent: this.recent });
    const style = this.style;
    const primary = this.opts.generator;
    const issues: string[] = [];
    if (primary && primary.name === 'claude' && performance.now() < this.breakerUntil) issues.push('claude skipped: unavailable, retrying later');
    else if (primary && primary.name === 'claude') {
      let feedback: string[] = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        let text: string;
        try {
          text = await primary.generate({ facts, prompt: buildPrompt(style, facts, feedback), style, key: e.id });
        } catch (err) {
          issues.push(`claude failed: ${(err as Error).message}`);
          // Circuit breaker: after repeated failures stop waiting on the API for a while (offline lines meanwhile).
          if (++this.failures >= BREAKER_FAILURES) this.breakerUntil = performance.now() + BREAKER_MS;
          break;
        }
        this.failures = 0;
        const v = this.checker.check(text, facts);
        if (v.ok) {
          this.stats.claude++;
          return this.line(item, text, 'claude', { ok: true, issues });
        }
        issues.push(...v.issues.map((i) => `claude attempt ${attempt + 1}: ${i}`));
        feedback = v.issues;
        if (attempt === 0) this.stats.regenerated++;
      }
      this.stats.fallbacks++;
    }
    return this.offlineLine(item, facts, style, issues);
  }

  private async offlineLine(item: QueueItem, facts: Facts, style: CommentaryStyle, issues: string[]): Promise<CommentaryLine> {
    const text = await this.offline.generate({ facts, prompt: buildPrompt(style, facts), style, key: item.primary.id });
    const v: Verdict = this.checker.check(text, facts);
    this.stats.offline++;
    return this.line(item, text, 'offline', { ok: v.ok, issues: [...issues, ...v.issues.map((i) => `offline: ${i}`)] });
  }

  private line(item: QueueItem, text: string, source: 'claude' | 'offline', validation: Verdict): CommentaryLine {
    const e = item.primary;
    return { id: `c${++lineSeq}`, event: e, text, style: this.style, source, validation, lap: e.lap, time: e.time };
  }
}
