// Pit recommendation for the selected driver and the remaining-race plans with their expected times. The advice
// names the lap it was computed for; with none, the card says why (retired, race finished, no tyre data).
import type {
  PitLossTable,
  PitRecommendation,
  RejoinPrediction,
  TimingSnapshot,
} from '../../shared/domain.js';
import { useAnalysis, useReplay } from '../stores/index.js';
import { Empty } from './Empty.js';
import { signed } from './format.js';
import { rejoinLine, share } from './rejoin.js';

/** Why there is no advice for `driver` at this snapshot, or null when there should be some. */
export function noAdviceReason(snapshot: TimingSnapshot | null, driver: string | null): string | null {
  if (!snapshot || !driver) return null;
  if (snapshot.lap >= snapshot.totalLaps)
    return `Race finished (lap ${snapshot.lap} of ${snapshot.totalLaps}): no strategy left to advise.`;
  const row = snapshot.rows.find((r) => r.driver === driver);
  if (row?.retired) return `${row.code} is out of the race: no strategy to advise.`;
  if (row && row.compound === 'UNKNOWN' && row.tyreAge === null)
    return `No tyre data for this race (lap times and positions only): no strategy to advise.`;
  return null;
}

/** "Box now → P5, 1.8 s behind HAM (P4 62 %, P5 31 %)" for the selected car's next lap. */
function Rejoin({ r }: { r: RejoinPrediction }) {
  return (
    <div className="rejoin-line num" data-testid="rejoin-line" data-position={r.position} data-lap={r.lap}>
      {rejoinLine(r)}
      <small>
        {' '}
        · pit loss {r.pitLoss.p50.toFixed(1)} s (p10–p90 {r.pitLoss.p10.toFixed(1)}–{r.pitLoss.p90.toFixed(1)}
        )
      </small>
      {(r.threats ?? []).map((t) => (
        <div
          key={t.rival}
          className="threat-line"
          data-testid="threat-line"
          data-rival={t.rival}
          data-flag={t.flag ?? ''}
        >
          {t.side === 'ahead' ? `Undercut on ${t.rival}` : `Undercut by ${t.rival}`}: {share(t.probability)}{' '}
          (gap {t.gap.toFixed(1)} s, fresh tyres {signed(t.freshGain)} s)
          {t.flag === 'overcut' ? ' · overcut: stay out' : ''}
        </div>
      ))}
    </div>
  );
}

/** The circuit's pit loss from history, by condition: p50 (p10–p90) and the stops behind it, in one compact table. */
export function PitLossRows({ t }: { t: PitLossTable }) {
  const cols = [
    ['green', t.green],
    ['SC', t.sc],
    ['VSC', t.vsc],
    ['lane', t.lane],
  ] as const;
  return (
    <table className="pit-loss num" data-testid="pit-loss-table" data-circuit={t.circuit}>
      <tbody>
        <tr>
          <th>Pit loss</th>
          {cols.map(([k, x]) => (
            <td key={k} data-condition={k} title={`${x.n} stops`}>
              {k} {x.n ? `${x.p50.toFixed(1)} s (${x.p10.toFixed(1)}–${x.p90.toFixed(1)}, ${x.n})` : '—'}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function Figures({ rec }: { rec: PitRecommendation }) {
  const top = [...rec.position.distribution].sort((a, b) => b.share - a.share).slice(0, 3);
  return (
    <div className="rec-figures num">
      <span data-testid="rec-gain">
        gain {signed(rec.gain)} s (p10–p90 {signed(rec.gainRange.p10)} … {signed(rec.gainRange.p90)})
      </span>
      <span data-testid="rec-position">
        P{rec.positionFrom} → P{rec.position.expected.toFixed(1)} expected
        {rec.position.p10 !== rec.position.p90
          ? ` (P${rec.position.p10.toFixed(0)}–P${rec.position.p90.toFixed(0)})`
          : ''}
      </span>
      <span data-testid="rec-distribution">
        {top.map((d) => `P${d.position} ${share(d.share)}`).join(' · ')}
      </span>
    </div>
  );
}

export function StrategyCard() {
  const rec = useAnalysis((s) => s.recommendation);
  const rejoin = useAnalysis((s) => s.rejoin);
  const pitLoss = useAnalysis((s) => s.pitLoss);
  const error = useAnalysis((s) => s.strategyError);
  const info = useReplay((s) => s.info);
  const snapshot = useReplay((s) => s.snapshot);
  const driver = useReplay((s) => s.selectedDriver);
  const code = info?.drivers.find((d) => d.driver === driver)?.code ?? driver ?? '';
  const reason = noAdviceReason(snapshot, driver);
  const lap = snapshot?.lap ?? null;
  const shown = rec && !reason ? rec : null;
  const stale = shown !== null && lap !== null && shown.lap !== lap;
  const row = snapshot?.rows.find((r) => r.driver === driver);
  const boxNow =
    rejoin && row && !reason && rejoin.driver === row.code && rejoin.lap === row.lap + 1 ? rejoin : null;
  return (
    <section className="panel strategy" aria-label="Strategy">
      <header>
        <h2>Strategy {code ? <small>{code}</small> : null}</h2>
      </header>
      {pitLoss ? <PitLossRows t={pitLoss} /> : null}
      {boxNow ? <Rejoin r={boxNow} /> : null}
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
            {stale ? ` (now lap ${lap}, updating…)` : ''} · {shown.state.compound} {shown.state.stintLaps}{' '}
            laps
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
            title={
              reason
                ? 'No advice'
                : error
                  ? 'Strategy engine unavailable'
                  : info
                    ? 'No recommendation yet'
                    : 'No race open'
            }
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
