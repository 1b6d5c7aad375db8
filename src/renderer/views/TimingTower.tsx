// Live timing tower: one fixed-height row per position (stable DOM, no jumps), race-control banner on top.
import { memo } from 'react';
import type { RaceEvent, RaceEventType, TimingRow, TrackState, WinProbabilityEntry } from '../../shared/domain.js';
import { useReplay, useWinProb } from '../stores/index.js';
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
    <div className={`banner banner-${s}`} role="status" aria-live="polite" data-testid="track-banner" data-state={s}>
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
  onSelect,
  wp,
}: {
  row: TimingRow;
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
      <span className="c-wp num" title="P(win) · P(podium)">{wp && !row.retired ? `${pct(wp.win)} · ${wp.podium === null ? '–' : pct(wp.podium)}` : ''}</span>
      <span className="c-flags">
        {row.retired ? (
          <em className="flag out">OUT</em>
        ) : row.inPit ? (
          <em className="flag pit">PIT</em>
        ) : row.drsRange ? (
          <em className="flag drs">DRS</em>
        ) : null}
      </span>
    </div>
  );
});

export function TimingTower() {
  const snapshot = useReplay((s) => s.snapshot);
  const info = useReplay((s) => s.info);
  const opening = useReplay((s) => s.opening);
  const error = useReplay((s) => s.error);
  const selected = useReplay((s) => s.selectedDriver);
  const selectDriver = useReplay((s) => s.selectDriver);
  const events = useReplay((s) => s.events);
  const sectors = Boolean(info?.hasSectors);
  const rows = snapshot?.rows ?? [];
  const wp = carsAtLap(useWinProb((s) => s.trace), snapshot?.lap ?? 0);
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
        <span className="c-wp" title="P(win) · P(podium), %">Win·Pod</span>
        <span className="c-flags" />
      </div>
      <div className="rows">
        {rows.length > 0 ? (
          rows.map((r) => (
            <Row
              key={r.position}
              row={r}
              sectors={sectors}
              selected={r.driver === selected}
              fastest={r.bestLap === fastest}
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
