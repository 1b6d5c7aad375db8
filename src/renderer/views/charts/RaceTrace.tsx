// Race trace: each car's time ahead (+) or behind (−) of a car running every lap at the reference pace (the leader's
// average lap so far, or a chosen car's), over the laps completed; pit stops as dots, SC/VSC/red laps shaded.
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { raceTrace, type TraceReference } from '../../../shared/charts.js';
import type { RaceCharts } from '../../../shared/domain.js';
import { AXIS, bandAreas, driverStyles, GRID, lapDomain, MARGIN, signedS, TipFrame } from './common.js';

interface Props {
  data: RaceCharts;
  reference: TraceReference;
  /** The cars drawn; null = the whole field. */
  drivers: readonly string[] | null;
}

interface PitMark {
  lap: number;
  y: number;
  driver: string;
  code: string;
  color: string;
}

export const RaceTrace = memo(function RaceTrace({ data, reference, drivers }: Props) {
  const trace = useMemo(() => raceTrace(data, reference), [data, reference]);
  const styles = useMemo(() => driverStyles(data.drivers), [data.drivers]);
  const shown = useMemo(() => {
    const want = drivers ? new Set(drivers) : null;
    return data.drivers.filter((d) => d.laps.length && (!want || want.has(d.driver)));
  }, [data.drivers, drivers]);
  const pits = useMemo(() => {
    const on = new Set(shown.map((d) => d.driver));
    const out: PitMark[] = [];
    for (const s of data.stops) {
      const y = trace.rows[s.lap]?.[s.driver];
      const st = styles.get(s.driver);
      if (on.has(s.driver) && y !== undefined && st) out.push({ lap: s.lap, y, driver: s.driver, code: st.code, color: st.color });
    }
    return out;
  }, [data.stops, shown, trace, styles]);
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
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          );
        })}
        <Scatter
          data={pits}
          dataKey="y"
          isAnimationActive={false}
          shape={(p: { cx?: number; cy?: number; payload?: PitMark }) => (
            <circle
              cx={p.cx}
              cy={p.cy}
              r={3.5}
              fill={p.payload?.color}
              stroke="#0d1017"
              strokeWidth={1}
              data-testid="trace-pit"
              data-driver={p.payload?.driver}
              data-lap={p.payload?.lap}
            />
          )}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
});
