// `pitwall secrets`: the serve-mode secret store (a 0600 file under the data directory). Values are read from
// standard input, never from the command line (which other users can see in the process list), and never printed.
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { FileSecretStore, isSecretName, SECRET_NAMES, SECRETS, type SecretName } from '../../data/secrets.js';

function nameArg(positionals: string[]): SecretName {
  const n = positionals[0] ?? '';
  if (!isSecretName(n)) throw new UsageError(`secret name must be one of ${SECRET_NAMES.join(', ')} (got "${n.slice(0, 40)}")`);
  return n;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export const command: Command = {
  name: 'secrets',
  summary: 'API keys and tokens for `pitwall serve` (stored 0600 under the data directory; the desktop app uses the OS keychain)',
  subcommands: [
    {
      name: 'list',
      summary: 'which secrets are set (names only)',
      run(ctx) {
        const store = new FileSecretStore();
        const set = new Set(store.names());
        const rows = SECRET_NAMES.map((n) => ({ name: n, env: SECRETS[n], set: set.has(n) }));
        ctx.print({ file: store.file, secrets: rows }, rows.map((r) => `${r.name.padEnd(16)} ${r.set ? 'set' : 'not set'}  (${r.env})`).join('\n'));
      },
    },
    {
      name: 'set',
      summary: 'store a secret read from standard input: echo "$KEY" | pitwall secrets set anthropicApiKey',
      usage: 'pitwall secrets set NAME  < value',
      async run(ctx) {
        const name = nameArg(ctx.positionals);
        if (process.stdin.isTTY) ctx.log(`paste the value of ${name}, then Ctrl+D`);
        const value = await readStdin();
        if (!value) throw new UsageError('no value on standard input');
        const store = new FileSecretStore();
        store.set(name, value);
        ctx.print({ name, set: true, file: store.file }, `${name} stored in ${store.file} (mode 600)`);
      },
    },
    {
      name: 'delete',
      summary: 'remove a secret',
      usage: 'pitwall secrets delete NAME',
      run(ctx) {
        const name = nameArg(ctx.positionals);
        new FileSecretStore().delete(name);
        ctx.print({ name, set: false }, `${name} removed`);
      },
    },
  ],
};
