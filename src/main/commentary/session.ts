// Broadcaster: per-session commentary (pushed as 'commentary:line') plus an engine-wide log of recent lines for
// stateless readers (`GET /api/commentary?since=…`).
import type { CommentaryLine, CommentaryStyle } from '../../shared/domain.js';
import { serviceKey } from '../engine/kernel/services.js';
import { sessionKey, type Engine, type Session } from '../engine/kernel/session.js';
import type { Race } from '../replay/race.js';
import { ClaudeGenerator } from './claude.js';
import { wantsClaude, type LlmMode } from './generator.js';
import { CommentaryPipeline } from './pipeline.js';
import { FactChecker, nameBook } from './validator.js';

const LOG_MAX = 500;

export interface SessionCommentary {
  style: CommentaryStyle;
  pipeline: CommentaryPipeline | null;
}

const LOG = serviceKey('commentary:log', () => [] as CommentaryLine[]);
const CHECKER = serviceKey('commentary:checker', (engine) => new FactChecker(nameBook(engine.db)));
const COMMENTARY = sessionKey<SessionCommentary>('commentary', () => ({ style: 'casual', pipeline: null }));

export function engineLog(engine: Engine): CommentaryLine[] {
  return engine.use(LOG);
}

export function checkerFor(engine: Engine): FactChecker {
  return engine.use(CHECKER);
}

export function sessionCommentary(session: Session): SessionCommentary {
  return session.use(COMMENTARY);
}

/** A fresh pipeline for a newly opened replay; the generator follows $ANTHROPIC_API_KEY ('auto'). */
export function startCommentary(session: Session, race: Race, mode: LlmMode = 'auto'): CommentaryPipeline {
  const sc = sessionCommentary(session);
  const log = engineLog(session.engine);
  const pipeline: CommentaryPipeline = new CommentaryPipeline({
    timeline: race.tl,
    style: sc.style,
    generator: wantsClaude(mode) ? new ClaudeGenerator() : undefined,
    db: session.engine.db,
    checker: checkerFor(session.engine),
    maxAge: 120,
    onLine: (line) => {
      if (sc.pipeline !== pipeline) return; // a line still in flight from the race this session has left
      log.push(line);
      if (log.length > LOG_MAX) log.splice(0, log.length - LOG_MAX);
      session.emit('commentary:line', line);
    },
  });
  sc.pipeline = pipeline;
  return pipeline;
}

/** The session's lines: of the race it has open, and of no other (even before that race's first line). Only a
 *  stateless reader with no race open (`GET /api/commentary`) reads the engine-wide log. */
export function commentarySince(session: Session, since?: string): CommentaryLine[] {
  const own = sessionCommentary(session).pipeline;
  if (own) return own.since(since);
  const log = engineLog(session.engine);
  if (!since) return log.slice(-200);
  const at = log.findIndex((l) => l.id === since);
  if (at >= 0) return log.slice(at + 1);
  const t = Number(since);
  return Number.isFinite(t) ? log.filter((l) => l.time > t) : log.slice(-200);
}
