// "Update data": fetches the races the database lacks (Jolpica) with a progress bar — races done of total, the race
// being fetched, time left — and a cancel button; the race picker lists the new races when it is done.
import { useUpdate } from '../stores/index.js';

export function UpdateData() {
  const running = useUpdate((s) => s.running);
  const p = useUpdate((s) => s.progress);
  const summary = useUpdate((s) => s.summary);
  const error = useUpdate((s) => s.error);
  const run = useUpdate((s) => s.run);
  const cancel = useUpdate((s) => s.cancel);
  const total = p?.total ?? 0;
  return (
    <div className="update-data" data-testid="update-data" data-update-state={running ? 'running' : (p?.state ?? 'idle')}>
      {running ? (
        <>
          <progress data-testid="update-progress" max={Math.max(1, total)} value={p?.done ?? 0} aria-label="Update progress" />
          <span className="muted" data-testid="update-status">
            {total ? `${p!.done}/${total}` : 'reading the schedule…'}
            {p?.race ? ` · ${p.season} R${p.round} ${p.race}` : ''}
            {p?.etaS != null && p.etaS > 0 ? ` · ~${Math.ceil(p.etaS)} s left` : ''}
          </span>
          <button onClick={() => void cancel()}>Cancel</button>
        </>
      ) : (
        <>
          <button data-testid="update-button" title="Fetch the races the database lacks from Jolpica" onClick={() => void run()}>
            Update data
          </button>
          {summary ? (
            <span className="muted" data-testid="update-status">
              {summary.races ? `${summary.races} new race${summary.races > 1 ? 's' : ''}` : 'up to date'}
            </span>
          ) : error ? (
            <span className="error" role="alert" title={error}>
              {p?.state === 'cancelled' ? 'update cancelled' : 'update failed'}
            </span>
          ) : null}
        </>
      )}
    </div>
  );
}
