// Commentary API handlers: lines since an id (or race time), and the session's style.
import type { Handlers } from '../engine/kernel/session.js';
import { isStyle } from './prompt.js';
import { commentarySince, sessionCommentary } from './session.js';

export const commentaryHandlers: Handlers<'commentarySince' | 'commentarySetStyle'> = {
  commentarySince: (s, args) => commentarySince(s, args?.since),
  commentarySetStyle: (s, args) => {
    if (!isStyle(args?.style)) throw new Error(`style must be technical, casual or dramatic (got "${String(args?.style)}")`);
    const sc = sessionCommentary(s);
    sc.style = args.style;
    if (sc.pipeline) sc.pipeline.style = args.style;
  },
};
