// Who may talk to `pitwall serve`: the Host header must name this server (DNS rebinding: a foreign name pointed at
// 127.0.0.1 is refused) and a browser's Origin must be this server itself, the desktop app's app:// scheme or an
// origin the user configured. Requests without an Origin (curl, scripts) pass this check; in LAN mode pairing
// then applies to them as to everyone.
import type { IncomingMessage } from 'node:http';

export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];
export const APP_ORIGIN = 'app://pitwall';

export interface GuardOptions {
  /** Host names/addresses besides loopback that this server answers to (the LAN name or address). */
  hosts?: string[];
  /** Extra allowed Origins, exactly as browsers send them (`https://pit.example:8443`). */
  origins?: string[];
}

export interface Refusal {
  status: 403;
  reason: 'host' | 'origin';
  message: string;
}

/** The host name of a Host header, without port and IPv6 brackets, lower-cased; null when unreadable. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const h = header.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h) ?? /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1]! : null;
}

export class Guard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(
    private port: number,
    opts: GuardOptions = {},
  ) {
    this.hosts = new Set([...LOOPBACK_HOSTS, ...(opts.hosts ?? []).map((h) => hostName(h) ?? h.toLowerCase())]);
    this.origins = new Set([APP_ORIGIN, ...(opts.origins ?? []).map((o) => o.replace(/\/+$/, ''))]);
  }

  /** Set once the port is known (listening on port 0). */
  setPort(port: number): void {
    this.port = port;
  }

  allowedHosts(): string[] {
    return [...this.hosts];
  }

  /** null when the request may proceed; else why it is refused. */
  check(req: IncomingMessage): Refusal | null {
    const host = hostName(req.headers.host);
    if (!host || !this.hosts.has(host))
      return {
        status: 403,
        reason: 'host',
        message: `refused: this server answers to ${[...this.hosts].join(', ')}, not Host "${String(req.headers.host ?? '').slice(0, 60)}" (start it with --host NAME to add a name)`,
      };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin))
      return {
        status: 403,
        reason: 'origin',
        message: `refused: pages from ${origin.slice(0, 80)} may not use this PitWall server (only its own pages, the desktop app and configured origins)`,
      };
    return null;
  }

  originAllowed(origin: string): boolean {
    if (this.origins.has(origin)) return true;
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false; // includes the opaque origin "null" (sandboxed frames, file://)
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    const h = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return port === this.port && this.hosts.has(h);
  }
}
