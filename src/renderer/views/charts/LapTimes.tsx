// One car's lap times, a dot per lap coloured by compound: hollow for in/out-laps, SC/VSC/red and the first lap
// (kept out of the axis range), a triangle on the top edge for a lap slower than the axis; dashed lines at stint
// changes, SC/VSC/red laps shaded.
import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  useXAxisScale,
  useYAxisScale,
  XAxis,
  YAxis,
} from 'recharts';
import { lapTimeSeries, type LapPoint } from '../../../shared/charts.js';
import type { ChartDriver, RaceCharts } from '../../../shared/domain.js';
import { COMPOUND_COLOR, lapTime } from '../format.js';
import { AXIS, bandAreas, GRID, lapDomain, MARGIN, TipFrame, Sized } from './common.js';

const SLOW_LABEL = { pit: 'pit lap', sc: 'safety car', vsc: 'VSC', red: 'red flag', start: 'start' } as const;

/** One mark per lap, drawn on the chart's scales (one element each, no recharts Scatter symbol per point). */
function LapDots({ points }: { points: readonly LapPoint[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="lap-dots">
      {points.map((d) => {
        const cx = x(d.lap);
        const cy = y(d.y);
        if (cx === undefined || cy === undefined) return null;
        const c = COMPOUND_COLOR[d.compound];
        const attrs = {
          'data-testid': 'lap-dot',
          'data-lap': d.lap,
          'data-time': d.lapTime,
          'data-compound': d.compound,
        };
        if (d.offScale)
          return (
            <path
              key={d.lap}
              d={`M${cx - 4} ${cy + 5}L${cx + 4} ${cy + 5}L${cx} ${cy - 2}Z`}
              fill="none"
              stroke={c}
              {...attrs}
            />
          );
        return d.slow ? (
          <circle key={d.lap} cx={cx} cy={cy} r={3} fill="none" stroke={c} strokeWidth={1.2} {...attrs} />
        ) : (
          <circle key={d.lap} cx={cx} cy={cy} r={3} fill={c} {...attrs} />
        );
      })}
    </g>
  );
}

export const LapTimes = memo(function LapTimes({ data, driver }: { data: RaceCharts; driver: ChartDriver }) {
  const s = useMemo(() => lapTimeSeries(driver), [driver]);
  const domain = useMemo(() => lapDomain(data.drivers), [data.drivers]);
  const tip = ({ payload }: { payload?: readonly { payload?: LapPoint }[] }) => {
    const p = payload?.[0]?.payload;
    if (!p) return null;
    return (
      <TipFrame testId="lap-tip" lap={p.lap}>
        <div className="chart-tip-row" data-time={p.lapTime}>
          <i style={{ background: COMPOUND_COLOR[p.compound] }} />
          <b>{lapTime(p.lapTime)}</b>
          <span>
            {p.compound} · age {p.tyreAge ?? '?'} · stint {p.stint}
          </span>
          {p.slow ? <em>{SLOW_LABEL[p.slow]}</em> : null}
        </div>
      </TipFrame>
    );
  };
  return (
    <Sized>
      {(width, height) => (
        <ComposedChart width={width} height={height} data={s.points} margin={MARGIN}>
          <CartesianGrid {...GRID} />
          {bandAreas(data.bands)}
          <XAxis dataKey="lap" type="number" domain={domain} allowDecimals={false} {...AXIS} />
          <YAxis
            dataKey="y"
            type="number"
            domain={s.domain ?? ['auto', 'auto']}
            allowDataOverflow
            {...AXIS}
            width={62}
            tickFormatter={(v: number) => lapTime(v)}
          />
          {s.stintStarts.map((lap) => (
            <ReferenceLine key={lap} x={lap - 0.5} stroke="#8b93a7" strokeDasharray="4 3" />
          ))}
          <Tooltip content={tip} isAnimationActive={false} cursor={{ stroke: '#4a5366' }} />
          {/* an invisible series gives the tooltip its laps (hover anywhere above a lap); LapDots draws them */}
          <Line dataKey="y" stroke="none" dot={false} activeDot={false} isAnimationActive={false} />
          <LapDots points={s.points} />
        </ComposedChart>
      )}
    </Sized>
  );
});
