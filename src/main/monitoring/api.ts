// Monitoring handlers: stored alerts for the Models view (and starts pushing new ones to the sessions).
import type { Handlers } from '../engine/kernel/session.js';
import { listAlerts } from './alerts.js';
import { monitorService } from './service.js';

export const monitoringHandlers: Handlers<'monitorAlerts'> = {
  monitorAlerts: (session) => {
    monitorService(session.engine);
    return listAlerts(session.engine.db);
  },
};
