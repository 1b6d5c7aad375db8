// Secrets (the Anthropic API key, the F1 live-timing and OpenF1 tokens): one list of names, a store interface, the
// serve-mode store (a 0600 JSON file under the data directory) and log redaction. The desktop app stores the same
// names with Electron safeStorage (app/secrets.ts). Secrets reach the engine as environment variables of its own
// process; no API method returns one, and every log line of `pitwall serve` passes the redactor.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from './paths.js';

/** Each secret and the environment variable its consumer reads. */
export const SECRETS = {
  anthropicApiKey: 'ANTHROPIC_API_KEY',
  f1LiveToken: 'PITWALL_F1_LIVE_TOKEN',
  openf1Token: 'PITWALL_OPENF1_TOKEN',
} as const;
export type SecretName = keyof typeof SECRETS;
export const SECRET_NAMES = Object.keys(SECRETS) as SecretName[];
export const isSecretName = (n: string): n is SecretName => Object.hasOwn(SECRETS, n);

export interface SecretStore {
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
  /** The names that have a value (never the values). */
  names(): SecretName[];
}

export const secretsFile = (): string => join(dataDir(), 'secrets.json');

/** Serve mode: a JSON file readable by its owner only (0600, in a directory made 0700). */
export class FileSecretStore implements SecretStore {
  constructor(readonly file: string = secretsFile()) {}

  private read(): Partial<Record<SecretName, string>> {
    if (!existsSync(this.file)) return {};
    const mode = statSync(this.file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0)
      throw new Error(`${this.file}: secrets file is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${this.file}`);
    let v: unknown;
    try {
      v = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      throw new Error(`${this.file}: secrets file is not valid JSON`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${this.file}: secrets file must hold a JSON object`);
    const out: Partial<Record<SecretName, string>> = {};
    for (const [k, val] of Object.entries(v)) if (isSecretName(k) && typeof val === 'string' && val) out[k] = val;
    return out;
  }

  private write(all: Partial<Record<SecretName, string>>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600); // whatever the umask
    renameSync(tmp, this.file);
  }

  get(name: SecretName): string | undefined {
    return this.read()[name];
  }
  set(name: SecretName, value: string): void {
    this.write({ ...this.read(), [name]: value });
  }
  delete(name: SecretName): void {
    const all = this.read();
    delete all[name];
    this.write(all);
  }
  names(): SecretName[] {
    return Object.keys(this.read()) as SecretName[];
  }
}

/** Copies stored secrets into `env` (a variable already set wins); returns every secret value now in `env`. */
export function secretsToEnv(store: SecretStore, env: NodeJS.ProcessEnv = process.env): string[] {
  for (const name of store.names()) {
    const v = store.get(name);
    if (v && !env[SECRETS[name]]) env[SECRETS[name]] = v;
  }
  return SECRET_NAMES.map((n) => env[SECRETS[n]]).filter((v): v is string => !!v && v.length >= 8);
}

/** Replaces every occurrence of a secret value in `text`. */
export function redactor(values: string[]): (text: string) => string {
  const vs = [...new Set(values)].filter((v) => v.length >= 8).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of vs) if (out.includes(v)) out = out.split(v).join('[redacted]');
    return out;
  };
}

/** Passes everything this process writes to `stream` through `redact` (stdout/stderr of `pitwall serve`). */
export function redactStream(stream: NodeJS.WriteStream, redact: (text: string) => string): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? redact(chunk) : chunk instanceof Uint8Array ? redact(Buffer.from(chunk).toString('utf8')) : chunk, ...rest)) as typeof stream.write;
}
