// Pit recommendation for the selected driver and the remaining-race plans with their expected times. The advice
// names the lap it was computed for; with none, the card says why (retired, race finished, no tyre data).
import type { PitRecommendation, TimingSnapshot } from '../../shared/domain.js';
import { useAnalysis, useReplay } from '../stores/index.js';
import { Empty } from './Empty.js';
import { signed } from './format.js';

/** Why there is no advice for `driver` at this snapshot, or null when there should be some. */
export function noAdviceReason(snapshot: TimingSnapshot | null, driver: string | null): string | null {
  if (!snapshot || !driver) return null;
  if (snapshot.lap >= snapshot.totalLaps) return `Race finished (lap ${snapshot.lap} of ${snapshot.totalLaps}): no strategy left to advise.`;
  const row = snapshot.rows.find((r) => r.driver === driver);
  if (row?.retired) return `${row.code} is out of the race: no strategy to advise.`;
  if (row && row.compound === 'UNKNOWN' && row.tyreAge === null)
    return `No tyre data for this race (lap times and positions only): no strategy to advise.`;
  return null;
}

/** A Monte-Carlo share shown as a share, never as certainty. */
const share = (p: number): string => `${Math.max(1, Math.min(99, Math.round(p * 100)))} %`;

function Figures({ rec }: { rec: PitRecommendation }) {
  const top = [...rec.position.distribution].sort((a, b) => b.share - a.share).slice(0, 3);
  return (
    <div className="rec-figures num">
      <span data-testid="rec-gain">
        gain {signed(rec.gain)} s (p10–p90 {signed(rec.gainRange.p10)} … {signed(rec.gainRange.p90)})
      </span>
      <span data-testid="rec-position">
        P{rec.positionFrom} → P{rec.position.expected.toFixed(1)} expected
        {rec.position.p10 !== rec.position.p90 ? ` (P${rec.position.p10.toFixed(0)}–P${rec.position.p90.toFixed(0)})` : ''}
      </span>
      <span data-testid="rec-distribution">{top.map((d) => `P${d.position} ${share(d.share)}`).join(' · ')}</span>
    </div>
  );
}

export function StrategyCard() {
  const rec = useAnalysis((s) => s.recommendation);
  const error = useAnalysis((s) => s.strategyError);
  const info = useReplay((s) => s.info);
  const snapshot = useReplay((s) => s.snapshot);
  const driver = useReplay((s) => s.selectedDriver);
  const code = info?.drivers.find((d) => d.driver === driver)?.code ?? driver ?? '';
  const reason = noAdviceReason(snapshot, driver);
  const lap = snapshot?.lap ?? null;
  const shown = rec && !reason ? rec : null;
  const stale = shown !== null && lap !== null && shown.lap !== lap;
  return (
    <section className="panel strategy" aria-label="Strategy">
      <header>
        <h2>Strategy {code ? <small>{code}</small> : null}</h2>
      </header>
      {shown ? (
        <div
          className={`rec${stale ? ' stale' : ''}`}
          data-testid="pit-recommendation"
          data-action={shown.action}
          data-driver={shown.driver}
          data-lap={shown.lap}
        >
          <div className="rec-lap" data-testid="rec-lap">
            For lap {shown.lap}
            {stale ? ` (now lap ${lap}, updating…)` : ''} · {shown.state.compound} {shown.state.stintLaps} laps
          </div>
          <div className={`headline ${shown.action === 'stay' ? 'stay' : 'box'}`}>{shown.headline}</div>
          <Figures rec={shown} />
          <table className="plans">
            <tbody>
              {shown.plans
                .filter((p) => lap === null || p.stops.every((s) => s.lap >= lap))
                .slice(0, 3)
                .map((p) => (
                  <tr key={p.label}>
                    <td>{p.label}</td>
                    <td className="num">{p.expectedTime.toFixed(1)} s</td>
                    <td className="num">{p.deltaToBest === 0 ? 'best' : signed(p.deltaToBest)}</td>
                    <td className="num">P{p.expectedPosition.toFixed(1)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {shown.notes.length ? (
            <ul className="rec-notes">
              {shown.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <div data-testid="pit-recommendation-empty" data-reason={reason ? 'none' : undefined}>
          <Empty
            title={reason ? 'No advice' : error ? 'Strategy engine unavailable' : info ? 'No recommendation yet' : 'No race open'}
            detail={
              reason ??
              error ??
              (info ? 'Recommendations appear once the replay runs and the strategy engine answers.' : null)
            }
          />
        </div>
      )}
    </section>
  );
}
