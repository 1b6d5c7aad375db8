// The app's "Update data": `updateRun` pulls the races the database lacks from Jolpica (the CLI's `pitwall update
// --source jolpica`), pushing 'update:progress' (done/total, ETA, the race being fetched) to every client, then joins
// outcomes and materializes the feature store. One update at a time per engine; `updateCancel` stops it between
// requests (the races written so far are whole; a re-run resumes). The engine runs in its own process (or `serve`),
// never on the window's thread; the network waits are async and each race is one short transaction.
// PITWALL_JOLPICA_URL points it at another Jolpica (a mirror, or the tests' fake).
import type { UpdateProgressEvent, UpdateSummary } from '../../shared/domain.js';
import { RpcError } from '../../shared/rpc.js';
import { serviceKey } from '../engine/kernel/services.js';
import type { Handlers } from '../engine/kernel/session.js';
import { afterUpdate } from './after.js';
import { updateFromJolpica } from './update.js';

const RUNNING = serviceKey('update:running', () => ({ abort: null as AbortController | null }), (s) => s.abort?.abort());

export const updateHandlers: Handlers<'updateRun' | 'updateCancel'> = {
  async updateRun(s, { seasons }) {
    const engine = s.engine;
    const run = engine.use(RUNNING);
    if (run.abort) throw new RpcError('failed', 'an update is already running: wait for it, or cancel it');
    if (engine.db.readonly) throw new RpcError('failed', 'the database is open read-only: updates need a writable database');
    const abort = new AbortController();
    run.abort = abort;
    const year = new Date().getUTCFullYear();
    let last: UpdateProgressEvent = { state: 'running', done: 0, total: 0, etaS: null, season: null, round: null, race: '', requests: 0, cached: 0 };
    const push = (p: Partial<UpdateProgressEvent>) => engine.broadcast('update:progress', (last = { ...last, ...p }));
    push({});
    try {
      const report = await updateFromJolpica(engine.db, {
        seasons: seasons ?? [year - 1, year],
        baseUrl: process.env.PITWALL_JOLPICA_URL || undefined,
        dbFile: engine.dbFile,
        signal: abort.signal,
        onProgress: (p) => push({ ...p, state: 'running' }),
      });
      const after = report.races ? await afterUpdate(engine.db) : {};
      const summary: UpdateSummary = { ...report, joined: after.outcomes?.joined ?? 0 };
      push({ state: 'done', race: '', etaS: 0, done: last.total, requests: report.requests, cached: report.cached });
      return summary;
    } catch (e) {
      const message = (e as Error).message;
      push({ state: abort.signal.aborted ? 'cancelled' : 'failed', message, etaS: null });
      if (abort.signal.aborted) throw new RpcError('cancelled', 'update cancelled: the races written so far are whole; update again to resume');
      throw e;
    } finally {
      run.abort = null;
    }
  },
  updateCancel(s) {
    const run = s.engine.use(RUNNING);
    if (!run.abort) return false;
    run.abort.abort();
    return true;
  },
};
