// Creates the engine over a database. Transports (WebSocket server, Electron IPC) create Sessions on it.
import type { EventName, PitwallEvents } from '../../shared/api.js';
import { openBootstrapped } from '../data/bootstrap.js';
import { dbPath } from '../data/paths.js';
import { releaseServices, type Engine } from './session.js';

export function createEngine(opts: { db?: string } = {}): Engine {
  const dbFile = dbPath(opts.db);
  const db = openBootstrapped(dbFile);
  const engine: Engine = {
    db,
    dbFile,
    services: new Map(),
    sessions: new Set(),
    broadcast<E extends EventName>(name: E, payload: PitwallEvents[E]) {
      for (const s of engine.sessions) s.emit(name, payload);
    },
  };
  return engine;
}

/** Closes the engine: releases its services (worker threads) and then closes the database. */
export async function closeEngine(engine: Engine): Promise<void> {
  try {
    await releaseServices(engine);
  } finally {
    if (engine.db.open) engine.db.close();
  }
}
