// The desktop app's secret store: each value encrypted with Electron safeStorage (the OS keychain / DPAPI /
// libsecret key) in <userData>/secrets.json (0600). Only the main process reads it; the values go to the engine
// process as its environment (the same variables `pitwall serve` sets from its 0600 file), never to a renderer.
import { FileSecretStore, SECRETS, type SecretName, type SecretStore } from '../data/secrets.js';

export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The serve-mode file store (0600, validated, written atomically) holding safeStorage ciphertext (base64). */
export class SafeStorageSecretStore implements SecretStore {
  private readonly store: FileSecretStore;

  constructor(
    private readonly safe: SafeStorage,
    readonly file: string,
  ) {
    this.store = new FileSecretStore(file);
  }

  get(name: SecretName): string | undefined {
    const enc = this.store.get(name);
    return enc === undefined ? undefined : this.safe.decryptString(Buffer.from(enc, 'base64'));
  }

  set(name: SecretName, value: string): void {
    if (!this.safe.isEncryptionAvailable()) throw new Error('the system keychain is not available: the secret was not stored');
    this.store.set(name, this.safe.encryptString(value).toString('base64'));
  }

  delete(name: SecretName): void {
    this.store.delete(name);
  }

  names(): SecretName[] {
    return this.store.names();
  }
}

/** The engine process's environment additions: every stored secret under its variable name. */
export function secretEnv(store: SecretStore): Record<string, string> {
  const env: Record<string, string> = {};
  for (const n of store.names()) {
    const v = store.get(n);
    if (v) env[SECRETS[n]] = v;
  }
  return env;
}
