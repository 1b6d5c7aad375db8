// The generator contract and the choice between Claude and the offline templates.
import type { CommentaryStyle } from '../../shared/domain.js';
import type { Facts } from './context.js';
import type { Prompt } from './prompt.js';

export interface GenerateRequest {
  facts: Facts;
  prompt: Prompt;
  style: CommentaryStyle;
  /** Stable key of the line (event id), for seeded variation. */
  key: string;
}

export interface Generator {
  readonly name: 'claude' | 'offline';
  generate(req: GenerateRequest): Promise<string>;
}

export type LlmMode = 'auto' | 'claude' | 'offline';

export function isLlmMode(s: unknown): s is LlmMode {
  return s === 'auto' || s === 'claude' || s === 'offline';
}

/** Claude when asked for (or, with 'auto', when ANTHROPIC_API_KEY is set); else null = offline only. */
export function wantsClaude(mode: LlmMode, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode === 'offline') return false;
  return Boolean(env.ANTHROPIC_API_KEY);
}
