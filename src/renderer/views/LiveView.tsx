// The Live screen: the shared feed's tower (every push), sector and mini-sector colours, race control, the track
// status banner, weather, lap count and the session clock, and this screen's broadcast delay; or the strategist
// charts of the live laps (at the same delay).
import { memo, useEffect, useState } from 'react';
import type { BestFlag, LiveRow, LiveStatus, LiveTower, SegmentState } from '../../shared/live.js';
import { MAX_DELAY_S } from '../../shared/live.js';
import { useLive } from '../stores/index.js';
import { LiveCharts } from './charts/LiveCharts.js';
import { Empty } from './Empty.js';
import { COMPOUND_COLOR, DASH, lapTime, sector, teamColor, TRACK_LABEL } from './format.js';
import type { Compound, RaceEvent, RejoinPrediction } from '../../shared/domain.js';
import { rejoinLine, share } from './rejoin.js';
import { LiveTokens } from './LiveTokens.js';

const flagClass = (f: BestFlag): string => (f === 'overall' ? 'purple' : f === 'personal' ? 'green' : '');
const SEG_CLASS: Record<SegmentState, string> = { none: 'seg-none', slower: 'seg-yellow', personal: 'seg-green', overall: 'seg-purple', pit: 'seg-pit' };
const gapText = (g: number | string | null): string => (g === null ? DASH : typeof g === 'number' ? `+${g.toFixed(3)}` : g);
const clockText = (s: number | null): string => {
  if (s === null) return DASH;
  const t = Math.max(0, Math.floor(s));
  return `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
};

/** The header's connection state: live / reconnecting / recording / delayed by N s. */
export function LiveBadge() {
  const status = useLive((s) => s.status);
  if (!status || status.connection === 'idle') return null;
  return (
    <div className={`live-badge live-${status.connection}`} data-testid="live-badge" data-connection={status.connection}>
      {connectionLabel(status)}
    </div>
  );
}
export function connectionLabel(s: LiveStatus): string {
  const base = { idle: 'No feed', connecting: 'Connecting…', live: 'LIVE', reconnecting: 'Reconnecting…', recording: 'Recording', ended: 'Feed ended', failed: 'Feed failed' }[s.connection];
  return s.delayS > 0 ? `${base} · delayed by ${s.delayS} s` : base;
}

const Row = memo(function Row({ row, selected, onSelect }: { row: LiveRow; selected: boolean; onSelect: (n: number) => void }) {
  const out = row.retired ? 'DNF' : row.stopped ? 'STOP' : row.inPit ? 'PIT' : row.pitOut ? 'OUT' : '';
  const compound = (row.compound ?? 'UNKNOWN') as Compound;
  return (
    <div className={`row live-row ${selected ? 'selected' : ''} ${row.retired ? 'retired' : ''} ${row.inPit ? 'in-pit' : ''}`} data-testid="live-row" data-driver={row.code ?? row.driverNumber} data-laps={row.laps ?? ''} onClick={() => onSelect(row.driverNumber)}>
      <span className="c-pos">{row.position ?? ''}</span>
      <span className="c-drv">
        <i className="team" style={{ background: teamColor(row.teamColor) }} />
        <b>{row.code ?? row.driverNumber}</b>
      </span>
      <span className="c-gap num" data-testid="live-gap">{row.position === 1 ? 'LEADER' : gapText(row.gapToLeader)}</span>
      <span className={`c-int num trend-${row.trend ?? 'none'}`} title={row.trend ?? undefined}>
        {row.position === 1 ? '' : gapText(row.interval)}
        {row.trend === 'catching' ? ' ▲' : row.trend === 'falling' ? ' ▼' : ''}
      </span>
      <span className={`c-last num ${flagClass(row.lastLapFlag)}`}>{lapTime(row.lastLap)}</span>
      <span className="c-best num">{lapTime(row.bestLap)}</span>
      {row.sectors.map((s, i) => (
        <span key={i} className="c-sec num">
          <span className={flagClass(s.flag)}>{sector(s.time)}</span>
          <span className="segs">{s.segments.map((g, k) => <i key={k} className={SEG_CLASS[g]} />)}</span>
        </span>
      ))}
      <span className="c-spd num">{row.speeds.st.kmh ?? DASH}</span>
      <span className="c-tyre" title={row.newTyre === null ? undefined : row.newTyre ? 'new' : 'used'}>
        <i className="tyre" style={{ borderColor: COMPOUND_COLOR[compound] ?? '#777' }}>{compound === 'UNKNOWN' ? '?' : compound[0]}</i>
        {row.tyreAge ?? ''}
        {row.newTyre === false ? 'u' : ''}
      </span>
      <span className="c-stops num">{row.pitStops}</span>
      <span className="c-pit">{out}</span>
    </div>
  );
});

/** The remaining time ticks down between pushes while the clock runs. */
function SessionClock({ tower }: { tower: LiveTower }) {
  const [now, setNow] = useState(() => Date.now());
  const [base] = useState(() => ({ t: Date.now(), tower }));
  useEffect(() => {
    if (!tower.clock.running) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [tower.clock.running]);
  const since = base.tower === tower ? (now - base.t) / 1000 : 0;
  const rem = tower.clock.remainingS === null ? null : tower.clock.remainingS - (tower.clock.running ? since : 0);
  return <span data-testid="live-clock">{rem !== null ? `${clockText(rem)} left` : `${clockText(tower.clock.elapsedS)} elapsed`}</span>;
}

function DelaySetting() {
  const delay = useLive((s) => s.status?.delayS ?? 0);
  const setDelay = useLive((s) => s.setDelay);
  const [text, setText] = useState(String(delay));
  useEffect(() => setText(String(delay)), [delay]);
  const commit = () => {
    const n = Math.max(0, Math.min(MAX_DELAY_S, Math.round(Number(text) || 0)));
    void setDelay(n);
  };
  return (
    <label className="live-delay">
      Broadcast delay{' '}
      <input type="number" min={0} max={MAX_DELAY_S} value={text} data-testid="live-delay" onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} /> s
    </label>
  );
}

/** Starting the shared feed: what every screen then shows (tokens: the Settings dialog, or `pitwall secrets set`). */
function StartFeed() {
  const start = useLive((s) => s.start);
  const [file, setFile] = useState('');
  const [settings, setSettings] = useState(false);
  return (
    <div className="live-start" data-testid="live-start">
      <button onClick={() => setSettings(true)}>Tokens…</button>
      {settings ? <LiveTokens onClose={() => setSettings(false)} /> : null}
      <button onClick={() => void start('f1')}>F1 live timing</button>
      <button onClick={() => void start('openf1')}>OpenF1</button>
      <input placeholder="recording.jsonl (in the data folder’s recordings/)" value={file} onChange={(e) => setFile(e.target.value)} />
      <button disabled={!file} onClick={() => void start('recording', file)}>Replay</button>
    </div>
  );
}

const EVENT_TEXT: Record<RaceEvent['type'], string> = {
  red_flag: 'Red flag', safety_car: 'Safety car', vsc: 'Virtual safety car', retirement: 'Retirement', lead_change: 'New leader',
  overtake: 'Overtake', pit_cycle: 'Pit cycle', pit_stop: 'Pit stop', fastest_lap: 'Fastest lap', drs_range: 'DRS range',
  gap_trend: 'Gap trend', personal_best: 'Personal best', sector_best: 'Sector best', undercut_threat: 'Undercut threat',
};
const describe = (e: RaceEvent): string => `${EVENT_TEXT[e.type]}${e.code ? ` · ${e.code}` : ''}${e.otherCode ? ` on ${e.otherCode}` : ''}`;

/** Timing (the tower) or the strategist charts of the live laps. */
export function LiveView() {
  const [mode, setMode] = useState<'timing' | 'charts'>('timing');
  const subscribe = useLive((s) => s.subscribe);
  useEffect(() => void subscribe(), [subscribe]);
  const tabs = (
    <nav className="live-modes" role="tablist" aria-label="Live screen">
      {(['timing', 'charts'] as const).map((m) => (
        <button key={m} role="tab" aria-selected={mode === m} className={mode === m ? 'on' : ''} onClick={() => setMode(m)}>
          {m === 'timing' ? 'Timing' : 'Live charts'}
        </button>
      ))}
      {mode === 'charts' ? <DelaySetting /> : null}
    </nav>
  );
  return (
    <>
      {tabs}
      {mode === 'charts' ? <LiveCharts /> : <LiveTiming />}
    </>
  );
}

function LiveTiming() {
  const subscribe = useLive((s) => s.subscribe);
  const tower = useLive((s) => s.tower);
  const status = useLive((s) => s.status);
  const error = useLive((s) => s.error);
  const selected = useLive((s) => s.selected);
  const select = useLive((s) => s.select);
  const laps = useLive((s) => s.laps);
  const forecast = useLive((s) => s.forecast);
  const rejoin = useLive((s) => s.rejoin);
  const events = useLive((s) => s.events);
  const lines = useLive((s) => s.lines);
  useEffect(() => void subscribe(), [subscribe]);
  const ts = tower?.trackStatus.state ?? 'green';
  const w = tower?.weather;
  const mine = selected === null ? [] : laps.filter((l) => l.driverNumber === selected);
  const stint = mine.length ? mine[mine.length - 1]!.stint : null;
  return (
    <main className="live-main">
      <section className="panel live-tower" aria-label="Live timing" data-testid="live-tower" data-seq={tower?.seq ?? -1} data-lap={tower?.lap ?? ''}>
        <div className={`banner banner-${ts}`} role="status" data-testid="live-banner" data-state={ts}>
          {tower ? `${TRACK_LABEL[ts]}${tower.trackStatus.message ? ` · ${tower.trackStatus.message}` : ''}` : 'No live session'}
        </div>
        <header className="live-head">
          <span>{tower?.session ? `${tower.session.meeting ?? ''} · ${tower.session.name ?? ''}` : ''}</span>
          <span data-testid="live-lap">{tower?.lap !== null && tower?.lap !== undefined ? `Lap ${tower.lap}${tower.totalLaps ? `/${tower.totalLaps}` : ''}` : ''}</span>
          {tower ? <SessionClock key={tower.seq} tower={tower} /> : null}
          {w ? <span data-testid="live-weather">Air {w.airTemp ?? DASH}° · Track {w.trackTemp ?? DASH}°{w.rain ? ' · Rain' : ''}</span> : null}
          <DelaySetting />
          {status && status.skipped > 0 ? <span title="malformed frames or unknown topics, skipped">{status.skipped} skipped</span> : null}
        </header>
        {error ? <div className="error" role="alert">{error}</div> : null}
        {!tower ? (
          <>
            <Empty title="No live feed" detail={status?.detail ?? 'Start one here, or with pitwall serve --live f1, --live openf1 or --live FILE.jsonl (a recording).'} />
            <StartFeed />
          </>
        ) : (
          <div className="rows">
            <div className="row head live-row">
              <span className="c-pos">P</span>
              <span className="c-drv">Driver</span>
              <span className="c-gap">Gap</span>
              <span className="c-int">Int</span>
              <span className="c-last">Last</span>
              <span className="c-best">Best</span>
              <span className="c-sec">S1</span>
              <span className="c-sec">S2</span>
              <span className="c-sec">S3</span>
              <span className="c-spd">ST</span>
              <span className="c-tyre">Tyre</span>
              <span className="c-stops">Stops</span>
              <span className="c-pit" />
            </div>
            {tower.rows.map((r) => <Row key={r.driverNumber} row={r} selected={r.driverNumber === selected} onSelect={select} />)}
          </div>
        )}
      </section>
      <div className="side">
        <section className="panel" aria-label="Race control" data-testid="race-control">
          <header><h2>Race control</h2></header>
          <ol className="rc">
            {(tower?.raceControl ?? []).map((m, i) => (
              <li key={`${m.utc}-${i}`} data-testid="rc-message"><span className="muted">{m.lap !== null ? `L${m.lap} ` : ''}{m.utc.slice(11, 19)}</span> {m.message}</li>
            ))}
          </ol>
        </section>
        <section className="panel" aria-label="Race events" data-testid="live-events">
          <header><h2>Race events</h2></header>
          <ol className="rc">
            {events.map((e) => (
              <li key={e.id} data-testid="live-event" data-type={e.type}>
                <span className="muted">L{e.lap}</span> {describe(e)}
                {lines[e.id] ? <div className="live-line" data-testid="live-commentary">{lines[e.id]}</div> : null}
              </li>
            ))}
          </ol>
        </section>
        {rejoin && rejoin.driver === tower?.rows.find((r) => r.driverNumber === selected)?.code ? <BoxedNow rejoin={rejoin} /> : null}
        <section className="panel" aria-label="Live stint" data-testid="live-stint">
          <header><h2>{selected === null ? 'Pick a car for its live stint' : `Stint ${stint ?? ''}: lap times (newest first), then the forecast`}</h2></header>
          <ol className="rc">
            {mine.filter((l) => l.stint === stint).reverse().map((l) => (
              <li key={l.lap}>Lap {l.lap}: {lapTime(l.lapTime)} <span className="muted">{l.compound ?? ''} {l.tyreAge ?? ''}</span></li>
            ))}
          </ol>
          {forecast ? (
            <ol className="rc" data-testid="live-forecast">
              {forecast.forecast.slice(0, 5).map((f) => (
                <li key={f.tyreAge}>
                  Tyre age {f.tyreAge}: {lapTime(f.lapTime)} <span className="muted">{f.p10 !== undefined && f.p90 !== undefined ? `(${lapTime(f.p10)}–${lapTime(f.p90)})` : ''} forecast</span>
                </li>
              ))}
            </ol>
          ) : null}
        </section>
      </div>
    </main>
  );
}

/** "If boxed now" for the selected car: where it rejoins after its out-lap, and the undercut/overcut with its neighbours. */
function BoxedNow({ rejoin }: { rejoin: RejoinPrediction }) {
  return (
    <section className="panel" aria-label="If boxed now" data-testid="live-rejoin" data-position={rejoin.position}>
      <header><h2>If {rejoin.driver} boxes at the end of lap {rejoin.lap}</h2></header>
      <p>{rejoinLine(rejoin)}</p>
      <p className="muted">Pit loss {rejoin.pitLoss.p50.toFixed(1)} s ({rejoin.pitLoss.p10.toFixed(1)}–{rejoin.pitLoss.p90.toFixed(1)}); the other cars’ stops unknown</p>
      <ol className="rc">
        {(rejoin.threats ?? []).filter((t) => t.flag).map((t) => (
          <li key={t.rival} data-testid="live-threat" data-flag={t.flag}>
            {t.flag === 'undercut' ? (t.side === 'ahead' ? `Undercut on ${t.rival}` : `Undercut threat from ${t.rival}`) : `Overcut with ${t.rival}`}: {share(t.probability)} <span className="muted">gap {t.gap.toFixed(1)} s, fresh tyres {t.freshGain.toFixed(1)} s/lap</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
