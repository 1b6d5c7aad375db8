// Race trace: each car's time ahead (+) or behind (−) of a car running every lap at the reference pace (the leader's
// average lap so far, or a chosen car's), over the laps completed; pit stops as dots on the lines (in-laps),
// SC/VSC/red laps shaded.
import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  Tooltip,
  useXAxisScale,
  useYAxisScale,
  XAxis,
  YAxis,
} from 'recharts';
import { raceTrace, type TraceReference } from '../../../shared/charts.js';
import type { RaceCharts } from '../../../shared/domain.js';
import {
  AXIS,
  bandAreas,
  driverStyles,
  GRID,
  lapDomain,
  MARGIN,
  signedS,
  TipFrame,
  Sized,
} from './common.js';

interface Props {
  data: RaceCharts;
  reference: TraceReference;
  /** The cars drawn; null = the whole field. */
  drivers: readonly string[] | null;
}

interface TraceSeries {
  driver: string;
  color: string;
  dash: string | undefined;
  points: [number, number][]; // [lap, s]
  pits: [number, number][];
}

/**
 * The cars' lines and pit marks, drawn as plain paths on the chart's scales: one element per car instead of a
 * recharts Line per car (each registers itself with the chart and re-renders it), so 20 cars × 70 laps mount in
 * one pass.
 */
function TraceLines({ series }: { series: readonly TraceSeries[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  const px = (lap: number, v: number): [number, number] => [x(lap) ?? 0, y(v) ?? 0];
  return (
    <g className="trace-lines">
      {series.map((s) => {
        let d = '';
        let prev = -2;
        for (const [lap, v] of s.points) {
          const [cx, cy] = px(lap, v);
          d += `${lap === prev + 1 ? 'L' : 'M'}${cx.toFixed(1)} ${cy.toFixed(1)}`;
          prev = lap;
        }
        return (
          <path
            key={s.driver}
            d={d}
            fill="none"
            stroke={s.color}
            strokeWidth={1.5}
            strokeDasharray={s.dash}
            data-testid="trace-line"
            data-driver={s.driver}
          />
        );
      })}
      {series.flatMap((s) =>
        s.pits.map(([lap, v]) => {
          const [cx, cy] = px(lap, v);
          return (
            <circle
              key={`${s.driver}-${lap}`}
              cx={cx}
              cy={cy}
              r={3.5}
              fill={s.color}
              stroke="#0d1017"
              strokeWidth={1}
              data-testid="trace-pit"
              data-driver={s.driver}
              data-lap={lap}
            />
          );
        }),
      )}
    </g>
  );
}

export const RaceTrace = memo(function RaceTrace({ data, reference, drivers }: Props) {
  const trace = useMemo(() => raceTrace(data, reference), [data, reference]);
  const styles = useMemo(() => driverStyles(data.drivers), [data.drivers]);
  const shown = useMemo(() => {
    const want = drivers ? new Set(drivers) : null;
    return data.drivers.filter((d) => d.laps.length && (!want || want.has(d.driver)));
  }, [data.drivers, drivers]);
  const series = useMemo(() => {
    const inLaps = new Map<string, number[]>();
    for (const st of data.stops) inLaps.set(st.driver, [...(inLaps.get(st.driver) ?? []), st.lap]);
    return shown.map((d): TraceSeries => {
      const st = styles.get(d.driver)!;
      const points: [number, number][] = [];
      for (const r of trace.rows) {
        const v = r[d.driver];
        if (v !== undefined) points.push([r.lap!, v]);
      }
      const pits = (inLaps.get(d.driver) ?? []).flatMap((lap): [number, number][] => {
        const v = trace.rows[lap]?.[d.driver];
        return v === undefined ? [] : [[lap, v]];
      });
      return { driver: d.driver, color: st.color, dash: st.dash, points, pits };
    });
  }, [data.stops, shown, trace, styles]);
  const yDomain = useMemo((): [number, number] => {
    let lo = 0;
    let hi = 0;
    for (const s of series)
      for (const [, v] of s.points) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    const step = hi - lo > 200 ? 50 : hi - lo > 40 ? 10 : 5;
    return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  }, [series]);
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
    <Sized>
      {(width, height) => (
        <ComposedChart width={width} height={height} data={trace.rows} margin={MARGIN}>
          <CartesianGrid {...GRID} />
          {bandAreas(data.bands)}
          <XAxis dataKey="lap" type="number" domain={domain} allowDecimals={false} {...AXIS} />
          <YAxis {...AXIS} width={44} type="number" domain={yDomain} allowDataOverflow />
          <Tooltip content={tip} isAnimationActive={false} cursor={{ stroke: '#4a5366' }} />
          {/* one invisible series gives the tooltip its laps; the cars are drawn by TraceLines */}
          {shown[0] ? (
            <Line
              dataKey={shown[0].driver}
              stroke="none"
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ) : null}
          <TraceLines series={series} />
        </ComposedChart>
      )}
    </Sized>
  );
});
