// The Charts tab: race trace, gap between two cars, lap times of one car, the field's stints — all at the replay
// clock (the store fetches `replayCharts` as cars complete laps). The charts themselves take a RaceCharts and
// draw it; the Live screen shows the same view over its own store (`liveCharts`, at its broadcast delay).
import { useEffect, useMemo, type ReactNode } from 'react';
import type { RaceCharts } from '../../../shared/domain.js';
import type { ChartsTab } from '../../stores/charts.js';
import { useCharts, useChartsStore, useReplay } from '../../stores/index.js';
import { COMPOUND_COLOR } from '../format.js';
import { driverStyles } from './common.js';
import { GapChart } from './GapChart.js';
import { LapTimes } from './LapTimes.js';
import { RaceTrace } from './RaceTrace.js';
import { StintBars } from './StintBars.js';

const TABS: { id: ChartsTab; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'trace', label: 'Race trace' },
  { id: 'gap', label: 'Gap' },
  { id: 'laps', label: 'Lap times' },
  { id: 'stints', label: 'Stints' },
];

function Panel({
  id,
  title,
  controls,
  children,
  note,
}: {
  id: string;
  title: string;
  controls?: ReactNode;
  children: ReactNode;
  note?: string;
}) {
  return (
    <section className="panel chart-panel" data-testid={`chart-${id}`} aria-label={title}>
      <header>
        <h2>{title}</h2>
        <div className="chart-controls">{controls}</div>
      </header>
      <div className="chart-body">{children}</div>
      {note ? <footer className="axis-note">{note}</footer> : null}
    </section>
  );
}

function DriverSelect({
  data,
  value,
  onChange,
  label,
}: {
  data: RaceCharts;
  value: string;
  onChange: (d: string) => void;
  label: string;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {data.drivers.map((d) => (
        <option key={d.driver} value={d.driver}>
          {d.code}
        </option>
      ))}
    </select>
  );
}

/** Running order at the data's time (most laps, then first to the line). */
const runningOrder = (data: RaceCharts): string[] =>
  [...data.drivers]
    .filter((d) => d.laps.length)
    .sort((x, y) => {
      const a = x.laps[x.laps.length - 1]!;
      const b = y.laps[y.laps.length - 1]!;
      return b.lap - a.lap || a.raceTime - b.raceTime;
    })
    .map((d) => d.driver);

function TracePanel({ data }: { data: RaceCharts }) {
  const reference = useCharts((s) => s.reference);
  const drivers = useCharts((s) => s.traceDrivers);
  const store = useChartsStore();
  const styles = useMemo(() => driverStyles(data.drivers), [data.drivers]);
  const order = useMemo(() => runningOrder(data), [data]);
  const on = drivers ? new Set(drivers) : null;
  const toggle = (d: string) => {
    const cur = drivers ?? order;
    store.getState().setTraceDrivers(cur.includes(d) ? cur.filter((x) => x !== d) : [...cur, d]);
  };
  const controls = (
    <>
      <select
        aria-label="Reference pace"
        value={reference.kind === 'leader' ? '' : reference.driver}
        onChange={(e) =>
          store
            .getState()
            .setReference(e.target.value ? { kind: 'driver', driver: e.target.value } : { kind: 'leader' })
        }
      >
        <option value="">Leader’s average lap</option>
        {data.drivers.map((d) => (
          <option key={d.driver} value={d.driver}>
            {d.code}’s average lap
          </option>
        ))}
      </select>
      <button className={drivers === null ? 'on' : ''} onClick={() => store.getState().setTraceDrivers(null)}>
        All
      </button>
      <button onClick={() => store.getState().setTraceDrivers(order.slice(0, 5))}>Top 5</button>
    </>
  );
  return (
    <Panel
      id="trace"
      title="Race trace"
      controls={controls}
      note="x: lap · y: s ahead (+) / behind (−) of the reference pace · dots: pit stops"
    >
      <div className="chart-split">
        <div className="chart-fill">
          <RaceTrace data={data} reference={reference} drivers={drivers} />
        </div>
        <div className="chart-chips" aria-label="Cars in the race trace">
          {order.map((d) => (
            <button
              key={d}
              className={!on || on.has(d) ? 'chip on' : 'chip'}
              aria-pressed={!on || on.has(d)}
              data-driver={d}
              onClick={() => toggle(d)}
            >
              <i style={{ background: styles.get(d)?.color }} />
              {styles.get(d)?.code}
            </button>
          ))}
        </div>
      </div>
    </Panel>
  );
}

function GapPanel({ data, a, b }: { data: RaceCharts; a: string; b: string }) {
  const store = useChartsStore();
  const controls = (
    <>
      <DriverSelect
        data={data}
        label="Gap car A"
        value={a}
        onChange={(d) => store.getState().setPair([d, b])}
      />
      <span className="muted">vs</span>
      <DriverSelect
        data={data}
        label="Gap car B"
        value={b}
        onChange={(d) => store.getState().setPair([a, d])}
      />
    </>
  );
  return (
    <Panel
      id="gap"
      title="Gap"
      controls={controls}
      note="x: lap · y: s, + car A ahead, − car B ahead · dashed: stops"
    >
      <GapChart data={data} a={a} b={b} />
    </Panel>
  );
}

function LapsPanel({ data, driver }: { data: RaceCharts; driver: string }) {
  const store = useChartsStore();
  const d = data.drivers.find((x) => x.driver === driver);
  const compounds = [...new Set(d?.laps.map((l) => l.compound) ?? [])];
  const controls = (
    <>
      <div className="legend">
        {compounds.map((c) => (
          <span key={c} className="key">
            <i className="dot" style={{ background: COMPOUND_COLOR[c] }} />
            {c}
          </span>
        ))}
      </div>
      <DriverSelect
        data={data}
        label="Lap times car"
        value={driver}
        onChange={(x) => store.getState().setLapDriver(x)}
      />
    </>
  );
  return (
    <Panel
      id="laps"
      title="Lap times"
      controls={controls}
      note="hollow: pit, SC/VSC/red and first laps (outside the axis range) · ▲ slower than the axis · dashed: new stint"
    >
      {d ? <LapTimes data={data} driver={d} /> : null}
    </Panel>
  );
}

/** `live`: the data is the live feed's (ChartsStoreContext gives its store), not the open replay's. */
export function ChartsView({ live = false }: { live?: boolean }) {
  const store = useChartsStore();
  const data = useCharts((s) => s.data);
  const error = useCharts((s) => s.error);
  const tab = useCharts((s) => s.tab);
  const pair = useCharts((s) => s.pair);
  const lapDriver = useCharts((s) => s.lapDriver);
  const info = useReplay((s) => s.info);
  const replaySelected = useReplay((s) => s.selectedDriver);
  const selected = live ? null : replaySelected;
  useEffect(() => {
    store.getState().setActive(true);
    return () => store.getState().setActive(false);
  }, [store]);
  const current = live ? data : data && info && data.season === info.season && data.round === info.round ? data : null;
  const order = useMemo(() => (current ? runningOrder(current) : []), [current]);
  if (!current || !order.length) {
    return (
      <div className="charts-view empty" data-testid="charts-empty">
        {error
          ? `Charts unavailable: ${error}`
          : live
            ? 'No laps completed yet — the charts fill as the live laps come in (at this screen’s broadcast delay).'
            : info
            ? 'No laps completed yet — the charts fill as the replay runs.'
            : 'Open a race to see its charts.'}
      </div>
    );
  }
  const first = current.drivers[0]!.driver;
  const a = pair[0] ?? (selected && order.includes(selected) ? selected : (order[0] ?? first));
  const b = pair[1] ?? order[order.indexOf(a) === 0 ? 1 : order.indexOf(a) - 1] ?? first;
  const lap = lapDriver ?? selected ?? order[0] ?? first;
  const show = (t: ChartsTab) => tab === 'all' || tab === t;
  return (
    <div
      className="charts-view"
      data-testid="charts-view"
      data-tab={tab}
      data-as-of={current.asOf}
      data-leader-laps={current.leaderLaps}
    >
      <nav className="chart-tabs" role="tablist" aria-label="Charts">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'on' : ''}
            onClick={() => store.getState().setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
        <span className="muted">
          as of lap {current.leaderLaps} of {current.totalLaps} — completed laps only
        </span>
      </nav>
      <div key={tab} className={tab === 'all' ? 'chart-grid' : 'chart-single'}>
        {show('trace') ? <TracePanel data={current} /> : null}
        {show('gap') ? <GapPanel data={current} a={a} b={b} /> : null}
        {show('laps') ? <LapsPanel data={current} driver={lap} /> : null}
        {show('stints') ? (
          <Panel
            id="stints"
            title="Tyre stints"
            note="x: lap · a bar per set, paler with a dashed edge: used set · hover for laps and age"
          >
            <StintBars data={current} />
          </Panel>
        ) : null}
      </div>
    </div>
  );
}
