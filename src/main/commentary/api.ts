// STUB — replaced by the commentary capability.
import type { Handlers } from '../engine/session.js';

export const commentaryHandlers: Handlers<'commentarySince' | 'commentarySetStyle'> = {
  commentarySince: () => [],
  commentarySetStyle: () => undefined,
};
