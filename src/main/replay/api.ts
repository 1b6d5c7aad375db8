// STUB — replaced by the replay capability.
import type { Handlers } from '../engine/session.js';

const notYet = (): never => {
  throw new Error('replay is not available yet');
};
export const replayHandlers: Handlers<
  'replayOpen' | 'replayPlay' | 'replayPause' | 'replaySeek' | 'replaySetSpeed' | 'replaySnapshot' | 'replayEvents'
> = {
  replayOpen: notYet,
  replayPlay: notYet,
  replayPause: notYet,
  replaySeek: notYet,
  replaySetSpeed: notYet,
  replaySnapshot: () => null,
  replayEvents: () => [],
};
