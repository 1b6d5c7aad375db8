// Prompt engine: one system prompt per style; the facts travel as structured JSON (far fewer invented facts
// than prose context), plus the validator's complaints when a line is regenerated.
import type { CommentaryStyle } from '../../shared/domain.js';
import type { Facts } from './context.js';

export const STYLES: readonly CommentaryStyle[] = ['technical', 'casual', 'dramatic'];

export interface Prompt {
  system: string;
  user: string;
}

const VOICE: Record<CommentaryStyle, string> = {
  technical:
    'You are a Formula 1 race engineer giving technical commentary: precise and calm; mention gaps, intervals, tyre compounds and tyre ages and what they mean for strategy.',
  casual:
    'You are a friendly Formula 1 commentator talking to new fans: conversational and clear; say briefly why the moment matters.',
  dramatic:
    'You are a Formula 1 TV play-by-play commentator at full energy: vivid verbs, tension and excitement, but every fact exact.',
};

const RULES = [
  'Use ONLY the facts in the JSON. Never invent or change a driver, team, position, lap number, gap, time or tyre compound.',
  'Refer to drivers by the surname or name given in the facts; positions as P1, P2 …; gaps and times in seconds exactly as given (you may round to one decimal).',
  'Write one or two sentences, at most 45 words, plain text: no markdown, no emojis, no quotation marks around the line.',
  'Talk about the "event"; "alsoInvolved" lists events folded into the same line.',
].join('\n- ');

export function isStyle(s: unknown): s is CommentaryStyle {
  return typeof s === 'string' && (STYLES as readonly string[]).includes(s);
}

export function buildPrompt(style: CommentaryStyle, facts: Facts, feedback: string[] = []): Prompt {
  const user = [
    `Facts (JSON):\n${JSON.stringify(facts)}`,
    `Write the ${style} commentary line for the event (${facts.event.type.replace('_', ' ')}, lap ${facts.event.lap}).`,
  ];
  if (feedback.length) user.push(`Your previous line was rejected by the fact checker: ${feedback.join('; ')}. Write a new line that uses only the facts.`);
  return { system: `${VOICE[style]}\nRules:\n- ${RULES}`, user: user.join('\n\n') };
}
