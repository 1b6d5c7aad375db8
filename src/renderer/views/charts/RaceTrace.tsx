// Race trace: each car's time ahead (+) or behind (−) of a car running every lap at the reference pace (the leader's
// average lap so far, or a chosen car's), over the laps completed; pit stops as dots on the lines (in-laps),
// SC/VSC/red laps shaded.
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { raceTrace, type TraceReference } from '../../../shared/charts.js';
import type { RaceCharts } from '../../../shared/domain.js';
import { AXIS, bandAreas, driverStyles, GRID, lapDomain, MARGIN, signedS, TipFrame } from './common.js';

interface Props {
  data: RaceCharts;
  reference: TraceReference;
  /** The cars drawn; null = the whole field. */
  drivers: readonly string[] | null;
}

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: Record<string, number>;
}

/** A pit mark on a car's line at its in-laps (the line's dot, so the tooltip's laps stay the chart's rows). */
function pitDot(driver: string, color: string, inLaps: ReadonlySet<number> | undefined) {
  return function PitDot(p: DotProps) {
    const lap = p.payload?.lap;
    if (lap === undefined || !inLaps?.has(lap) || p.cx === undefined || p.cy === undefined) return <g key={p.index} />;
    return (
      <circle
        key={p.index}
        cx={p.cx}
        cy={p.cy}
        r={3.5}
        fill={color}
        stroke="#0d1017"
        strokeWidth={1}
        data-testid="trace-pit"
        data-driver={driver}
        data-lap={lap}
      />
    );
  };
}

export const RaceTrace = memo(function RaceTrace({ data, reference, drivers }: Props) {
  const trace = useMemo(() => raceTrace(data, reference), [data, reference]);
  const styles = useMemo(() => driverStyles(data.drivers), [data.drivers]);
  const shown = useMemo(() => {
    const want = drivers ? new Set(drivers) : null;
    return data.drivers.filter((d) => d.laps.length && (!want || want.has(d.driver)));
  }, [data.drivers, drivers]);
  const dots = useMemo(() => {
    const inLaps = new Map<string, Set<number>>();
    for (const st of data.stops) {
      let set = inLaps.get(st.driver);
      if (!set) inLaps.set(st.driver, (set = new Set()));
      set.add(st.lap);
    }
    return new Map(shown.map((d) => [d.driver, inLaps.has(d.driver) ? pitDot(d.driver, styles.get(d.driver)!.color, inLaps.get(d.driver)) : false]));
  }, [data.stops, shown, styles]);
  const domain = useMemo(() => lapDomain(data.drivers), [data.drivers]);
  const tip = ({ label }: { label?: unknown }) => {
    const lap = Number(label);
    const row = trace.rows[lap];
    if (!row || !Number.isFinite(lap)) return null;
    const vals = shown
      .map((d) => ({ d, v: row[d.driver] }))
      .filter((x): x is { d: (typeof shown)[number]; v: number } => x.v !== undefined)
      .sort((a, b) => b.v - a.v);
    const pitted = new Set(data.stops.filter((s) => s.lap === lap).map((s) => s.driver));
    return (
      <TipFrame testId="trace-tip" lap={lap}>
        {vals.map(({ d, v }) => (
          <div key={d.driver} className="chart-tip-row" data-driver={d.driver} data-value={v}>
            <i style={{ background: styles.get(d.driver)?.color }} />
            <span>{d.code}</span>
            <b>{signedS(v)}</b>
            {pitted.has(d.driver) ? <em>pit</em> : null}
          </div>
        ))}
      </TipFrame>
    );
  };
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={trace.rows} margin={MARGIN}>
        <CartesianGrid {...GRID} />
        {bandAreas(data.bands)}
        <XAxis dataKey="lap" type="number" domain={domain} allowDecimals={false} {...AXIS} />
        <YAxis {...AXIS} width={44} domain={['auto', 'auto']} />
        <Tooltip content={tip} isAnimationActive={false} cursor={{ stroke: '#4a5366' }} />
        {shown.map((d) => {
          const st = styles.get(d.driver)!;
          return (
            <Line
              key={d.driver}
              dataKey={d.driver}
              name={d.code}
              stroke={st.color}
              strokeDasharray={st.dash}
              strokeWidth={1.5}
              dot={dots.get(d.driver) ?? false}
              activeDot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          );
        })}
      </ComposedChart>
    </ResponsiveContainer>
  );
});
