// The desktop app's secret store: each value encrypted with Electron safeStorage (the OS keychain / DPAPI /
// libsecret key) in <userData>/secrets.json (0600). Only the main process reads it; the values go to the engine
// process as its environment (the same variables `pitwall serve` sets from its 0600 file), never to a renderer.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isSecretName, SECRETS, type SecretName, type SecretStore } from '../data/secrets.js';

export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class SafeStorageSecretStore implements SecretStore {
  constructor(
    private readonly safe: SafeStorage,
    readonly file: string,
  ) {}

  private read(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
    const out: Partial<Record<SecretName, string>> = {};
    for (const [k, v] of Object.entries(raw)) if (isSecretName(k) && typeof v === 'string') out[k] = v;
    return out;
  }

  get(name: SecretName): string | undefined {
    const enc = this.read()[name];
    return enc === undefined ? undefined : this.safe.decryptString(Buffer.from(enc, 'base64'));
  }

  set(name: SecretName, value: string): void {
    if (!this.safe.isEncryptionAvailable()) throw new Error('the system keychain is not available: the secret was not stored');
    this.write({ ...this.read(), [name]: this.safe.encryptString(value).toString('base64') });
  }

  delete(name: SecretName): void {
    const all = this.read();
    delete all[name];
    this.write(all);
  }

  names(): SecretName[] {
    return Object.keys(this.read()) as SecretName[];
  }

  private write(all: Partial<Record<SecretName, string>>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
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
