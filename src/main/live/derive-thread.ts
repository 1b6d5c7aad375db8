// The live service's handle on its deriver: a worker thread running derive-worker.js when the compiled entry exists
// beside this module (out/main/live), else the same Deriver in-thread (vitest runs the .ts sources).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LiveTower } from '../../shared/live.js';
import { Deriver, type Derived, type DeriveMessage } from './derive.js';

export const DERIVE_ENTRY = new URL('./derive-worker.js', import.meta.url);

export interface DeriverHandle {
  keep(topic: string, offsetMs: number, data: unknown): void;
  reset(): void;
  derive(tower: LiveTower | null): Promise<Derived>;
  close(): void;
}

function inThread(): DeriverHandle {
  const d = new Deriver();
  return {
    keep: (t, o, data) => d.keep(t, o, data),
    reset: () => d.reset(),
    derive: (tower) => Promise.resolve().then(() => d.derive(tower)),
    close: () => d.reset(),
  };
}

export function openDeriver(entry: URL = DERIVE_ENTRY): DeriverHandle {
  if (!existsSync(fileURLToPath(entry))) return inThread();
  const w = new Worker(entry);
  w.unref();
  const waiting = new Map<number, { resolve: (d: Derived) => void; reject: (e: Error) => void }>();
  let next = 0;
  const post = (m: DeriveMessage) => w.postMessage(m);
  w.on('message', (r: { id: number; ok: boolean; value?: Derived; error?: string }) => {
    const p = waiting.get(r.id);
    waiting.delete(r.id);
    if (r.ok) p?.resolve(r.value!);
    else p?.reject(new Error(`live lap derivation failed: ${r.error}`));
  });
  const fail = (e: Error) => {
    for (const p of waiting.values()) p.reject(e);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', () => fail(new Error('the live lap deriver thread ended')));
  return {
    keep: (topic, offsetMs, data) => post({ kind: 'keep', topic, offsetMs, data }),
    reset: () => post({ kind: 'reset' }),
    derive: (tower) =>
      new Promise<Derived>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        post({ kind: 'derive', id, tower });
      }),
    close: () => void w.terminate(),
  };
}
