// Sharing the engine with the garage's screens: a paired LAN server (pairing.ts) on top of startServer, used by
// `pitwall serve --lan` and by the desktop app's "Share with the garage" dialog.
import { hostname, networkInterfaces } from 'node:os';
import type { Engine } from '../engine/kernel/session.js';
import type { Role } from '../../shared/schemas/api.js';
import { Pairing } from './pairing.js';
import { startServer, type RunningServer, type ServeOptions } from './server.js';

/** The addresses and names a LAN client may use to reach this machine (for the Host allow-list). */
export function lanNames(bind: string): { names: string[]; shown: string } {
  const all = Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && !a.internal);
  if (bind !== '0.0.0.0' && bind !== '::') return { names: [bind], shown: bind };
  const v4 = all.find((a) => a.family === 'IPv4');
  const names = [...all.map((a) => a.address), hostname(), `${hostname()}.local`];
  return { names, shown: v4?.address ?? hostname() };
}

export interface LanShare {
  srv: RunningServer;
  pairing: Pairing;
  /** A fresh pairing link for `role`, with its expiry. */
  invite(role: Role): { pairUrl: string; expiresAt: string };
}

export async function startLanShare(
  engine: Engine,
  opts: Omit<ServeOptions, 'pairing' | 'allowedHosts' | 'publicHost'> & { host: string; pairMinutes?: number },
): Promise<LanShare> {
  const names = lanNames(opts.host);
  const pairing = new Pairing({ tokenTtlMs: (opts.pairMinutes ?? 15) * 60_000 });
  const srv = await startServer(engine, { ...opts, pairing, allowedHosts: names.names, publicHost: names.shown });
  return {
    srv,
    pairing,
    invite(role) {
      const t = pairing.issue(role);
      return { pairUrl: `${srv.url}pair?token=${t.token}`, expiresAt: new Date(t.expiresAt).toISOString() };
    },
  };
}
