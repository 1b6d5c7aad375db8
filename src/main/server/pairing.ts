// LAN pairing: a random 128-bit token (in the printed URL and QR code) is exchanged once per browser for an
// HttpOnly, SameSite=Strict session cookie carrying a role. Tokens expire and can be revoked; revoking also ends
// the sessions they created.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../shared/schemas/api.js';

export const COOKIE = 'pitwall_session';
export const DEFAULT_TOKEN_TTL_MS = 15 * 60_000;
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;

export interface PairToken {
  token: string;
  role: Role;
  expiresAt: number;
}
interface PairedSession {
  role: Role;
  token: string;
  expiresAt: number;
}

export interface PairingOptions {
  tokenTtlMs?: number;
  sessionTtlMs?: number;
  now?: () => number;
}

export class Pairing {
  private readonly tokens = new Map<string, PairToken>();
  private readonly sessions = new Map<string, PairedSession>();
  private readonly listeners = new Set<(sessionIds: Set<string>) => void>();
  readonly tokenTtlMs: number;
  readonly sessionTtlMs: number;
  private readonly now: () => number;

  constructor(opts: PairingOptions = {}) {
    this.tokenTtlMs = opts.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
    this.sessionTtlMs = opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  /** A fresh token for `role` (128 random bits, base64url). */
  issue(role: Role, ttlMs = this.tokenTtlMs): PairToken {
    const t: PairToken = { token: randomBytes(16).toString('base64url'), role, expiresAt: this.now() + ttlMs };
    this.tokens.set(t.token, t);
    return t;
  }

  /** Trades a live token for a new session id (the cookie value); null when unknown, expired or revoked. */
  exchange(token: string): { sessionId: string; role: Role; maxAgeS: number } | null {
    const t = this.tokens.get(token);
    if (!t) return null;
    if (t.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return null;
    }
    const sessionId = randomBytes(32).toString('base64url');
    this.sessions.set(sessionId, { role: t.role, token, expiresAt: this.now() + this.sessionTtlMs });
    return { sessionId, role: t.role, maxAgeS: Math.floor(this.sessionTtlMs / 1000) };
  }

  /** The role of a live session id; null when unknown, expired or revoked. */
  roleOf(sessionId: string | undefined): Role | null {
    if (!sessionId) return null;
    const s = this.sessions.get(sessionId);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(sessionId);
      return null;
    }
    return s.role;
  }

  /** Revokes one token and every session paired with it; false when the token was not known. */
  revoke(token: string): boolean {
    const known = this.tokens.delete(token);
    const ended = new Set<string>();
    for (const [id, s] of this.sessions) if (s.token === token) ended.add(id);
    for (const id of ended) this.sessions.delete(id);
    if (ended.size) this.listeners.forEach((l) => l(ended));
    return known || ended.size > 0;
  }

  /** Revokes every token and session (e.g. a screen was lost); returns how many sessions ended. */
  revokeAll(): number {
    const ended = new Set(this.sessions.keys());
    this.tokens.clear();
    this.sessions.clear();
    if (ended.size) this.listeners.forEach((l) => l(ended));
    return ended.size;
  }

  /** Called with the session ids that revocation ended (the server closes their connections). */
  onRevoke(fn: (sessionIds: Set<string>) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** The value of cookie `name` in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function sessionCookie(sessionId: string, maxAgeS: number, secure: boolean): string {
  return `${COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}
