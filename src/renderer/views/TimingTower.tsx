// Live timing tower: one fixed-height row per position (stable DOM, no jumps), race-control banner on top.
import { memo } from 'react';
import type {
  RaceEvent,
  RaceEventType,
  RaceThreat,
  RejoinPrediction,
  TimingRow,
  TrackState,
  WinProbabilityEntry,
} from '../../shared/domain.js';
import { useAnalysis, useReplay, useWinProb } from '../stores/index.js';
import { carsAtLap } from '../stores/winprob.js';
import { Empty } from './Empty.js';
import {
  COMPOUND_COLOR,
  compoundLetter,
  gap,
  interval,
  lapTime,
  sector,
  teamColor,
  TRACK_LABEL,
} from './format.js';
import { likeliest } from './rejoin.js';

const EVENT_OF: Partial<Record<TrackState, RaceEventType>> = {
  sc: 'safety_car',
  vsc: 'vsc',
  red: 'red_flag',
};

export function RaceControlBanner({ state, events }: { state: TrackState | null; events: RaceEvent[] }) {
  const s = state ?? 'green';
  const type = EVENT_OF[s];
  const since = type ? events.find((e) => e.type === type) : undefined; // newest first
  return (
    <div
      className={`banner banner-${s}`}
      role="status"
      aria-live="polite"
      data-testid="track-banner"
      data-state={s}
    >
      {state ? TRACK_LABEL[s] : 'No session'}
      {since ? <span className="since"> · since lap {since.lap}</span> : null}
    </div>
  );
}

const pct = (p: number) => (p >= 0.995 ? '>99' : p < 0.005 ? '<1' : String(Math.round(p * 100)));

const Row = memo(function Row({
  row,
  sectors,
  selected,
  fastest,
  threat,
  onSelect,
  wp,
}: {
  row: TimingRow;
  /** Undercut / overcut with the selected car (this row is its neighbour), from the rejoin answer. */
  threat: RaceThreat | null;
  /** The car's in-race P(win)/P(podium) at this lap, when a win-probability model is loaded. */
  wp?: WinProbabilityEntry | undefined;
  sectors: boolean;
  selected: boolean;
  /** Holds the race's fastest lap so far (best lap shown purple). */
  fastest: boolean;
  onSelect: (driver: string) => void;
}) {
  const best = row.lastLapIsOverallBest ? 'purple' : row.lastLapIsPersonalBest ? 'green' : '';
  const cls = [
    'row',
    selected ? 'selected' : '',
    row.retired ? 'retired' : '',
    row.inPit ? 'in-pit' : '',
  ].join(' ');
  return (
    <div
      className={cls}
      data-testid="timing-row"
      data-driver={row.driver}
      data-threat={threat?.flag ?? undefined}
      onClick={() => onSelect(row.driver)}
    >
      <span className="c-pos">{row.position}</span>
      <span className="c-drv">
        <i className="team" style={{ background: teamColor(row.teamColor) }} />
        <b>{row.code}</b>
      </span>
      <span className="c-gap num">
        {row.retired ? 'DNF' : row.position === 1 ? 'LEADER' : gap(row.gapToLeader, row.lapsDown)}
      </span>
      <span className="c-int num">{row.position === 1 || row.retired ? '' : interval(row.interval)}</span>
      <span className={`c-last num ${best}`}>{lapTime(row.lastLap)}</span>
      <span className={`c-best num ${fastest ? 'purple' : ''}`}>{lapTime(row.bestLap)}</span>
      {sectors ? (
        <>
          <span className="c-sec num">{sector(row.sectors?.[0])}</span>
          <span className="c-sec num">{sector(row.sectors?.[1])}</span>
          <span className="c-sec num">{sector(row.sectors?.[2])}</span>
        </>
      ) : null}
      <span className="c-tyre">
        <i
          className="tyre"
          style={{ borderColor: COMPOUND_COLOR[row.compound], color: COMPOUND_COLOR[row.compound] }}
        >
          {compoundLetter(row.compound)}
        </i>
        <span className="num">{row.tyreAge ?? '—'}</span>
      </span>
      <span className="c-pits num">{row.pitStops}</span>
      <span className="c-wp num" title="P(win) · P(podium)">
        {wp && !row.retired ? `${pct(wp.win)} · ${wp.podium === null ? '–' : pct(wp.podium)}` : ''}
      </span>
      <span className="c-flags">
        {row.retired ? (
          <em className="flag out">OUT</em>
        ) : row.inPit ? (
          <em className="flag pit">PIT</em>
        ) : row.drsRange ? (
          <em className="flag drs">DRS</em>
        ) : null}
        {threat?.flag ? (
          <em
            className={`flag ${threat.flag === 'undercut' ? 'uc' : 'oc'}`}
            data-testid="threat-flag"
            title={
              threat.flag === 'undercut'
                ? `${threat.side === 'ahead' ? 'Undercut on' : 'Undercut threat from'} ${row.code}: ${Math.round(threat.probability * 100)} % that the first to stop takes the place (gap ${threat.gap.toFixed(1)} s, fresh tyres ${threat.freshGain.toFixed(1)} s/lap)`
                : `Overcut with ${row.code}: fresh tyres ${threat.freshGain.toFixed(1)} s slower than the current set`
            }
          >
            {threat.flag === 'undercut' ? 'UC' : 'OC'}
          </em>
        ) : null}
      </span>
    </div>
  );
});

/**
 * "If boxed now": a dashed marker where the selected car would rejoin after its out-lap, drawn over the rows (which
 * keep their places) just below the car it would come out behind.
 */
export function RejoinGhost({ rejoin, rows }: { rejoin: RejoinPrediction; rows: TimingRow[] }) {
  const others = rows.filter((r) => r.code !== rejoin.driver);
  const aheadRow = rejoin.carAhead
    ? others.find((r) => r.code === rejoin.carAhead)
    : others[rejoin.position - 2];
  const index = aheadRow ? rows.indexOf(aheadRow) + 1 : 0;
  return (
    <div
      className="rejoin-ghost"
      data-testid="rejoin-ghost"
      data-driver={rejoin.driver}
      data-lap={rejoin.lap}
      data-position={rejoin.position}
      data-car-ahead={rejoin.carAhead ?? ''}
      data-gap-ahead={rejoin.gapAhead ?? ''}
      style={{ top: `calc(var(--row-h) * ${index})` }}
      title={`If ${rejoin.driver} boxes on lap ${rejoin.lap}: P${rejoin.position} after the out-lap`}
    >
      <span className="ghost-label num">
        {rejoin.driver} if boxed now → P{rejoin.position}
        {rejoin.carAhead && rejoin.gapAhead !== null
          ? ` · ${rejoin.gapAhead.toFixed(1)} s behind ${rejoin.carAhead}`
          : ''}{' '}
        · {likeliest(rejoin)}
      </span>
    </div>
  );
}

export function TimingTower() {
  const snapshot = useReplay((s) => s.snapshot);
  const info = useReplay((s) => s.info);
  const opening = useReplay((s) => s.opening);
  const error = useReplay((s) => s.error);
  const selected = useReplay((s) => s.selectedDriver);
  const selectDriver = useReplay((s) => s.selectDriver);
  const events = useReplay((s) => s.events);
  const rejoin = useAnalysis((s) => s.rejoin);
  const sectors = Boolean(info?.hasSectors);
  const rows = snapshot?.rows ?? [];
  const selectedRow = rows.find((r) => r.driver === selected);
  // only for the car selected now and the lap it is on (a late answer for another car or lap is not drawn)
  const ghost =
    rejoin &&
    selectedRow &&
    !selectedRow.retired &&
    rejoin.driver === selectedRow.code &&
    rejoin.lap === selectedRow.lap + 1
      ? rejoin
      : null;
  const wp = carsAtLap(
    useWinProb((s) => s.trace),
    snapshot?.lap ?? 0,
  );
  const fastest = rows.reduce((m, r) => (r.bestLap !== null && r.bestLap < m ? r.bestLap : m), Infinity);
  return (
    <section className={`panel tower ${sectors ? 'with-sectors' : ''}`} aria-label="Timing tower">
      <RaceControlBanner state={snapshot?.trackState ?? null} events={events} />
      <div className="row head">
        <span className="c-pos">P</span>
        <span className="c-drv">Driver</span>
        <span className="c-gap">Gap</span>
        <span className="c-int">Int</span>
        <span className="c-last">Last</span>
        <span className="c-best">Best</span>
        {sectors ? (
          <>
            <span className="c-sec">S1</span>
            <span className="c-sec">S2</span>
            <span className="c-sec">S3</span>
          </>
        ) : null}
        <span className="c-tyre">Tyre</span>
        <span className="c-pits">Pit</span>
        <span className="c-wp" title="P(win) · P(podium), %">
          Win·Pod
        </span>
        <span className="c-flags" />
      </div>
      <div className="rows">
        {ghost && rows.length > 0 ? <RejoinGhost rejoin={ghost} rows={rows} /> : null}
        {rows.length > 0 ? (
          rows.map((r) => (
            <Row
              key={r.position}
              row={r}
              sectors={sectors}
              selected={r.driver === selected}
              fastest={r.bestLap === fastest}
              threat={ghost?.threats?.find((t) => t.rival === r.code) ?? null}
              onSelect={selectDriver}
              wp={wp.get(r.code)}
            />
          ))
        ) : (
          <Empty
            title={
              opening
                ? 'Opening race…'
                : info
                  ? 'Waiting for timing data'
                  : error
                    ? 'Replay unavailable'
                    : 'Pick a race to replay'
            }
            detail={
              error ??
              (info ? 'Press play (space) to start the replay.' : 'Season and race are at the top left.')
            }
          />
        )}
      </div>
    </section>
  );
}
