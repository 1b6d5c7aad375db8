import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../command.js';
import { FileSecretStore, redactor, redactStream, secretsToEnv } from '../../data/secrets.js';
import { closeEngine, createEngine } from '../../engine/host/engine.js';
import { openLive } from '../../live/open.js';
import { asUsage } from './live.js';
import { liveService } from '../../live/service.js';
import { LOOPBACK_HOSTS } from '../../server/guard.js';
import { lanNames } from '../../server/lan.js';
import { Pairing } from '../../server/pairing.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { Role } from '../../../shared/schemas/api.js';
import { bootstrapProgress } from '../progress.js';

// A shutdown that takes longer than this (a stuck client, a busy native call) ends the process anyway.
const SHUTDOWN_GRACE_MS = 5000;

async function qr(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { type: 'terminal', small: true });
}

function pairUrl(srv: RunningServer, token: string): string {
  return `${srv.url}pair?token=${token}`;
}

async function printPairing(ctx: CommandContext, srv: RunningServer, pairing: Pairing, role: Role): Promise<void> {
  const main = pairing.issue(role);
  const other = pairing.issue(role === 'viewer' ? 'engineer' : 'viewer');
  const expiresAt = new Date(main.expiresAt).toISOString();
  if (ctx.json) {
    ctx.print({ url: srv.url, port: srv.port, pairUrl: pairUrl(srv, main.token), expiresAt, role, [`${other.role}PairUrl`]: pairUrl(srv, other.token) });
    return;
  }
  ctx.print(
    null,
    [
      `PitWall is sharing at ${srv.url}  (Ctrl+C to stop; every screen pairs first)`,
      '',
      `Pair a ${role} screen (scan, or open the link; valid until ${expiresAt}):`,
      await qr(pairUrl(srv, main.token)),
      pairUrl(srv, main.token),
      '',
      `${other.role} link (${other.role === 'engineer' ? 'promotions, imports, updates, settings, live control' : 'read-only'}): ${pairUrl(srv, other.token)}`,
      process.stdin.isTTY ? 'Type "revoke" + Enter to end every pairing and print new codes, "new" for new codes.' : '',
    ].join('\n'),
  );
}

export const command: Command = {
  name: 'serve',
  summary: 'run the engine headless: HTTP + WebSocket on 127.0.0.1 serving the app to a browser; --lan shares it with paired screens',
  options: [
    { name: 'port', type: 'number', description: 'port to listen on (0 = any free port)', default: 8765 },
    { name: 'host', type: 'string', description: 'interface to bind (a non-loopback address needs --lan)', default: '127.0.0.1' },
    { name: 'lan', type: 'boolean', description: 'share with the garage: every client pairs with a code (URL + QR) and gets a role' },
    { name: 'role', type: 'string', description: 'role of the printed pairing code: viewer or engineer', default: 'viewer' },
    { name: 'pair-minutes', type: 'number', description: 'how long a pairing code stays valid', default: 15 },
    { name: 'origin', type: 'string', description: 'an extra browser Origin allowed to call the API (comma-separated list)' },
    { name: 'cert', type: 'string', description: 'TLS certificate (PEM) — serve HTTPS/WSS' },
    { name: 'key', type: 'string', description: 'TLS private key (PEM), with --cert' },
    { name: 'live', type: 'string', description: 'a live feed every client shares: f1, openf1, or a recording file' },
    { name: 'live-speed', type: 'number', description: 'with --live FILE: replay speed (1 = as recorded)', default: 1 },
  ],
  async run(ctx) {
    const host = String(ctx.opts.host ?? '127.0.0.1');
    const lan = Boolean(ctx.opts.lan);
    if (!lan && !LOOPBACK_HOSTS.includes(host))
      throw new UsageError(`--host ${host} would serve the engine to the network without pairing: add --lan`);
    const role = String(ctx.opts.role ?? 'viewer');
    if (role !== 'viewer' && role !== 'engineer') throw new UsageError(`--role must be viewer or engineer (got "${role}")`);
    const minutes = Number(ctx.opts['pair-minutes'] ?? 15);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new UsageError(`--pair-minutes must be a positive number`);
    const cert = ctx.opts.cert as string | undefined;
    const key = ctx.opts.key as string | undefined;
    if (!!cert !== !!key) throw new UsageError('--cert and --key go together');
    const tls = cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined;
    const origins = typeof ctx.opts.origin === 'string' ? ctx.opts.origin.split(',').map((o) => o.trim()).filter(Boolean) : [];

    // Secrets from the 0600 store reach the engine as its environment; nothing this process prints contains one.
    const redact = redactor(secretsToEnv(new FileSecretStore()));
    redactStream(process.stdout, redact);
    redactStream(process.stderr, redact);

    const liveSpec = typeof ctx.opts.live === 'string' ? ctx.opts.live : undefined;
    const liveSpeed = Number(ctx.opts['live-speed'] ?? 1);
    if (!(liveSpeed > 0)) throw new UsageError('--live-speed must be a positive number');
    const live = liveSpec ? asUsage(() => openLive(liveSpec, { speed: liveSpeed })) : undefined; // fails here, before serving

    const progress = bootstrapProgress();
    const engine = createEngine({ db: ctx.dbFile, onProgress: progress.onProgress });
    progress.done();
    const names = lan ? lanNames(host) : null;
    const pairing = lan ? new Pairing({ tokenTtlMs: minutes * 60_000 }) : undefined;
    const srv = await startServer(engine, {
      port: ctx.opts.port as number,
      host,
      pairing,
      allowedHosts: names?.names,
      allowedOrigins: origins,
      publicHost: names?.shown,
      tls,
      redact,
    });
    if (live) void liveService(engine).start(live);
    let rl: ReturnType<typeof createInterface> | undefined;
    if (pairing) {
      await printPairing(ctx, srv, pairing, role);
      if (process.stdin.isTTY) {
        rl = createInterface({ input: process.stdin });
        rl.on('line', (l) => {
          const cmd = l.trim();
          if (cmd === 'revoke') ctx.log(`revoked every pairing (${pairing.revokeAll()} screens disconnected)`);
          if (cmd === 'revoke' || cmd === 'new') void printPairing(ctx, srv, pairing, role);
        });
      }
    } else ctx.print({ url: srv.url, port: srv.port }, `PitWall is running at ${srv.url}  (Ctrl+C to stop)`);
    // SIGINT / SIGTERM: close the server (clients, worker threads), then the database; the process then exits on
    // its own because nothing is left on the event loop. A second signal gets Node's default (immediate) exit.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    setTimeout(() => {
      ctx.log(`pitwall serve: shutdown took over ${SHUTDOWN_GRACE_MS / 1000} s; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    rl?.close();
    try {
      await srv.close();
    } finally {
      await closeEngine(engine);
    }
  },
};
