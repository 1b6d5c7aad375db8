// The live feeds' tokens (F1 TV, OpenF1), entered once in the Settings dialog: stored in the security issue's store
// (data/secrets.ts) and put in this engine's environment, where the feed sources read them at their next start.
// The API answers only whether each is set; a value never goes back to a client.
import type { LiveTokenName, LiveTokens } from '../../shared/live.js';
import { FileSecretStore, SECRET_NAMES, SECRETS, type SecretStore } from '../data/secrets.js';
import { serviceKey } from '../engine/kernel/services.js';

/** The engine's own environment as a store: under the desktop app, whose main process keeps the values in the OS
 *  keychain (app/secrets.ts) and stores them there before the call reaches the engine. */
export const envSecretStore = (env: NodeJS.ProcessEnv = process.env): SecretStore => ({
  get: (name) => env[SECRETS[name]] || undefined,
  set: () => undefined,
  delete: () => undefined,
  names: () => SECRET_NAMES.filter((n) => !!env[SECRETS[n]]),
});

/** The engine's secret store: the serve-mode 0600 file under the data directory; the environment when the desktop
 *  app started the engine (`PITWALL_SECRET_STORE=app`). */
export const TOKEN_STORE = serviceKey<SecretStore>('live:tokens', () => (process.env.PITWALL_SECRET_STORE === 'app' ? envSecretStore() : new FileSecretStore()));

export const LIVE_TOKENS: readonly LiveTokenName[] = ['f1LiveToken', 'openf1Token'];

/** Whether each token is set (stored, or in this engine's environment). */
export function liveTokens(store: SecretStore, env: NodeJS.ProcessEnv = process.env): LiveTokens {
  const stored = new Set(store.names());
  return { f1LiveToken: stored.has('f1LiveToken') || !!env[SECRETS.f1LiveToken], openf1Token: stored.has('openf1Token') || !!env[SECRETS.openf1Token] };
}

/** Stores a token (an empty value removes it) and makes it this engine's; answers only whether each is set. */
export function setLiveToken(store: SecretStore, name: LiveTokenName, value: string, env: NodeJS.ProcessEnv = process.env): LiveTokens {
  const v = value.trim();
  if (v) {
    store.set(name, v);
    env[SECRETS[name]] = v;
  } else {
    store.delete(name);
    delete env[SECRETS[name]];
  }
  return liveTokens(store, env);
}
