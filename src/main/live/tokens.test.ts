// The engine's token store under the desktop app: its own environment (the main process keeps the values in the OS
// keychain), so setting a token there writes no file and the answer still says only whether each is set.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { secretsFile } from '../data/secrets.js';
import { envSecretStore, liveTokens, setLiveToken } from './tokens.js';

describe('the desktop engine token store', () => {
  it('is the environment: a token set goes into it, none into a file; removing it takes it out', () => {
    const env: NodeJS.ProcessEnv = { PITWALL_OPENF1_TOKEN: 'openf1-abcdefgh' };
    const store = envSecretStore(env);
    expect(liveTokens(store, env)).toEqual({ f1LiveToken: false, openf1Token: true });
    expect(setLiveToken(store, 'f1LiveToken', 'f1tv-token-12345678', env)).toEqual({ f1LiveToken: true, openf1Token: true });
    expect(env.PITWALL_F1_LIVE_TOKEN).toBe('f1tv-token-12345678');
    expect(existsSync(secretsFile())).toBe(false);
    expect(setLiveToken(store, 'openf1Token', ' ', env)).toEqual({ f1LiveToken: true, openf1Token: false });
    expect(env.PITWALL_OPENF1_TOKEN).toBeUndefined();
  });
});
