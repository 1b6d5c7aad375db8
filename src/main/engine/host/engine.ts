// Creates the engine over a database. Transports (WebSocket server, Electron IPC) create Sessions on it.
import { openBootstrapped, type BootstrapOptions } from '../../data/bootstrap.js';
import { dbPath } from '../../data/paths.js';
import { Engine } from '../kernel/session.js';

export function createEngine(opts: { db?: string } & BootstrapOptions = {}): Engine {
  const dbFile = dbPath(opts.db);
  return new Engine(openBootstrapped(dbFile, opts), dbFile);
}

/** Closes the engine: releases its services (worker threads) and then closes the database. */
export async function closeEngine(engine: Engine): Promise<void> {
  try {
    await engine.services.releaseAll();
  } finally {
    if (engine.db.open) engine.db.close();
  }
}
