import type { Command } from '../command.js';
import { numberArg, UsageError } from '../command.js';

export const command: Command = {
  name: 'commentary',
  summary: 'generate race commentary from detected events (Claude with ANTHROPIC_API_KEY, else offline templates)',
  usage: 'pitwall commentary --season 2023 --round 1 [--style dramatic] [--llm auto|claude|offline] [--json]',
  options: [
    { name: 'season', type: 'number', description: 'season (year)' },
    { name: 'round', type: 'number', description: 'round number' },
    { name: 'style', type: 'string', description: 'technical, casual or dramatic', default: 'casual' },
    { name: 'llm', type: 'string', description: 'auto (Claude if ANTHROPIC_API_KEY is set), claude or offline', default: 'auto' },
    { name: 'model', type: 'string', description: 'Claude model (default: $PITWALL_CLAUDE_MODEL or the built-in default)' },
    { name: 'seed', type: 'number', description: 'seed of the offline generator', default: 1 },
    { name: 'per-minute', type: 'number', description: 'max lines per minute of race time (CRITICAL always passes)', default: 6 },
    { name: 'limit', type: 'number', description: 'stop after this many lines' },
  ],
  async run(ctx) {
    const season = numberArg(ctx, 'season');
    const round = numberArg(ctx, 'round');
    const { isStyle } = await import('../../commentary/prompt.js');
    const { isLlmMode, wantsClaude } = await import('../../commentary/generator.js');
    const style = ctx.opts.style;
    const llm = ctx.opts.llm;
    if (!isStyle(style)) throw new UsageError(`--style must be technical, casual or dramatic (got "${String(style)}")`);
    if (!isLlmMode(llm)) throw new UsageError(`--llm must be auto, claude or offline (got "${String(llm)}")`);
    const useClaude = wantsClaude(llm);
    if (llm === 'claude' && !useClaude) ctx.log('commentary: ANTHROPIC_API_KEY is not set; using the offline generator');

    const { loadRace } = await import('../../replay/race.js');
    const { CommentaryPipeline } = await import('../../commentary/pipeline.js');
    const { FactChecker, nameBook } = await import('../../commentary/validator.js');
    const db = ctx.db();
    const race = loadRace(db, season, round);
    let generator;
    if (useClaude) {
      const { ClaudeGenerator } = await import('../../commentary/claude.js');
      generator = new ClaudeGenerator({ model: typeof ctx.opts.model === 'string' ? ctx.opts.model : undefined });
    }
    const limit = typeof ctx.opts.limit === 'number' ? ctx.opts.limit : Infinity;
    const pipeline = new CommentaryPipeline({
      timeline: race.tl,
      style,
      generator,
      seed: ctx.opts.seed as number,
      perMinute: ctx.opts['per-minute'] as number,
      db,
      checker: new FactChecker(nameBook(db)),
      onLine: (l) => {
        if (!ctx.json && pipeline.lines.length <= limit) console.log(`L${String(l.lap).padStart(2)} [${l.source}${l.validation.ok ? '' : ' ✗'}] ${l.text}`);
      },
    });
    const events = Number.isFinite(limit) ? race.events.filter((e) => e.time <= (race.events[Math.min(race.events.length - 1, limit * 4)]?.time ?? Infinity)) : race.events;
    const lines = (await pipeline.runAll(events)).slice(0, limit);
    if (ctx.json) ctx.print(lines.map((l) => ({ event: l.event, text: l.text, style: l.style, source: l.source, validation: l.validation, lap: l.lap, time: l.time })));
    else ctx.log(`${lines.length} lines (${pipeline.stats.claude} claude, ${pipeline.stats.offline} offline; ${pipeline.stats.rateLimited} rate-limited, ${pipeline.stats.regenerated} regenerated, ${pipeline.stats.fallbacks} fallbacks)`);
  },
};
