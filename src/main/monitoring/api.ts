// STUB — replaced by the monitoring capability.
import type { Handlers } from '../engine/session.js';

export const monitoringHandlers: Handlers<'monitorAlerts'> = {
  monitorAlerts: () => [],
};
