// STUB — replaced by the tyre-model capability.
import type { Handlers } from '../engine/session.js';

export const tyreHandlers: Handlers<'tyreCurves' | 'stintForecast'> = {
  tyreCurves: () => [],
  stintForecast: () => null,
};
