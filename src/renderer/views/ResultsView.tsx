// The classification of a race: position, driver, team, grid, laps, time or status, points, fastest lap. Shown for
// every race (a tab), at the chequered flag, and as the whole screen of a race without lap data.
import type { RaceResults } from '../../shared/domain.js';
import { useReplay } from '../stores/index.js';
import { Empty } from './Empty.js';

export function ResultsTable({ results, compact = false }: { results: RaceResults; compact?: boolean }) {
  return (
    <table className={`results${compact ? ' compact' : ''}`} data-testid="results-table">
      <thead>
        <tr>
          <th className="num">Pos</th>
          <th>Driver</th>
          {compact ? null : <th>Team</th>}
          <th className="num">Grid</th>
          {compact ? null : <th className="num">Laps</th>}
          <th>Time / status</th>
          <th className="num">Pts</th>
        </tr>
      </thead>
      <tbody>
        {results.rows.map((r) => (
          <tr key={r.driver} data-testid="result-row" className={r.position === null ? 'unclassified' : ''}>
            <td className="num">{r.position ?? r.positionText}</td>
            <td>
              <span className="code">{r.code ?? ''}</span> {compact ? null : r.name}
              {r.fastestLap ? (
                <span className="fastest" title={`Fastest lap${r.fastestLapTime ? ` ${r.fastestLapTime}` : ''}`}>
                  {' '}
                  FL {r.fastestLapTime ?? ''}
                </span>
              ) : null}
            </td>
            {compact ? null : <td>{r.constructor}</td>}
            <td className="num">{r.grid ?? 'pit'}</td>
            {compact ? null : <td className="num">{r.laps ?? ''}</td>}
            <td>{r.position !== null && r.time ? (r.positionOrder === 1 ? r.time : r.time.startsWith('+') ? r.time : `+${r.time}`) : r.status}</td>
            <td className="num">{r.points > 0 ? r.points : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The results screen of the open race (or of a race opened without lap data). */
export function ResultsView() {
  const results = useReplay((s) => s.results);
  const notice = useReplay((s) => s.notice);
  const opening = useReplay((s) => s.opening);
  const winner = useReplay((s) => s.winner);
  if (!results) return <Empty title={opening ? 'Loading…' : 'No results'} detail={opening ? undefined : 'Open a race.'} />;
  return (
    <section className="panel results-view" aria-label="Results">
      <header>
        <h2>
          {results.season} {results.name} — classification
        </h2>
        <span className="muted">
          {results.circuitName} · {results.date}
        </span>
      </header>
      {notice ? <p className="notice" role="status">{notice}</p> : null}
      <ResultsTable results={results} />
      {winner ? (
        <div className="winner-odds" data-testid="winner-odds">
          <h3>Winner prediction (race-winner model, from the grid and form before the race)</h3>
          <ol>
            {winner.slice(0, 5).map((w) => (
              <li key={w.driver}>
                <span className="code">{w.code}</span> {(w.probability * 100).toFixed(1)} %
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}
