// Claude generator through @anthropic-ai/sdk (imported lazily). The client is built with the SDK's defaults, so
// ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL come from the environment. Streaming by default; each attempt has a
// timeout; failed attempts are retried with exponential backoff; errors surface to the pipeline, which falls back
// to the offline line.
import type { GenerateRequest, Generator } from './generator.js';

export const DEFAULT_MODEL = 'claude-haiku-5-5';

export interface ClaudeOptions {
  model?: string;
  stream?: boolean;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  maxTokens?: number;
}

interface MinimalClient {
  messages: {
    create(body: Record<string, unknown>, opts?: Record<string, unknown>): Promise<{ content: { type: string; text?: string }[] }>;
    stream(body: Record<string, unknown>, opts?: Record<string, unknown>): AsyncIterable<{ type: string; delta?: { type: string; text?: string } }>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ClaudeGenerator implements Generator {
  readonly name = 'claude' as const;
  readonly model: string;
  private client: Promise<MinimalClient> | null = null;
  private readonly opts: Required<Omit<ClaudeOptions, 'model'>>;

  constructor(opts: ClaudeOptions = {}) {
    this.model = opts.model ?? process.env.PITWALL_CLAUDE_MODEL ?? DEFAULT_MODEL;
    this.opts = {
      stream: opts.stream ?? true,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retries: opts.retries ?? 2,
      backoffMs: opts.backoffMs ?? 400,
      maxTokens: opts.maxTokens ?? 160,
    };
  }

  private sdk(): Promise<MinimalClient> {
    this.client ??= import('@anthropic-ai/sdk').then(
      // SDK defaults: key and base URL from the environment; our own retry loop, so none inside the SDK.
      (m) => new m.default({ maxRetries: 0, timeout: this.opts.timeoutMs }) as unknown as MinimalClient,
    );
    return this.client;
  }

  async generate(req: GenerateRequest): Promise<string> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) await sleep(this.opts.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      try {
        const text = (await this.once(req)).trim();
        if (text) return text;
        lastError = new Error('empty reply');
      } catch (e) {
        lastError = e;
        const status = (e as { status?: number }).status;
        if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) break; // not retryable
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  private async once(req: GenerateRequest): Promise<string> {
    const client = await this.sdk();
    const body = {
      model: this.model,
      max_tokens: this.opts.maxTokens,
      system: req.prompt.system,
      messages: [{ role: 'user', content: req.prompt.user }],
    };
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.opts.timeoutMs);
    try {
      if (!this.opts.stream) {
        const msg = await client.messages.create(body, { signal: ac.signal, timeout: this.opts.timeoutMs });
        return msg.content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
      }
      let text = '';
      for await (const ev of client.messages.stream(body, { signal: ac.signal, timeout: this.opts.timeoutMs })) {
        if (ev.type === 'content_block_delta' && ev.delta?.type === 'text_delta') text += ev.delta.text ?? '';
      }
      if (ac.signal.aborted) throw new Error('timeout');
      return text;
    } finally {
      clearTimeout(timer);
    }
  }
}
