// The gap between two chosen cars at the end of every lap both completed: above zero car A is ahead, below car B;
// each car's stops as dashed lines in its colour, SC/VSC/red laps shaded.
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { pairGap } from '../../../shared/charts.js';
import type { RaceCharts } from '../../../shared/domain.js';
import { AXIS, bandAreas, driverStyles, GRID, lapDomain, MARGIN, TipFrame, Sized } from './common.js';

export const GapChart = memo(function GapChart({ data, a, b }: { data: RaceCharts; a: string; b: string }) {
  const series = useMemo(() => pairGap(data, a, b), [data, a, b]);
  const styles = useMemo(() => driverStyles(data.drivers), [data.drivers]);
  const sa = styles.get(a);
  const sb = styles.get(b);
  const ca = sa?.code ?? a;
  const cb = sb?.code ?? b;
  const domain = useMemo(() => lapDomain(data.drivers), [data.drivers]);
  const stops = useMemo(() => data.stops.filter((s) => s.driver === a || s.driver === b), [data.stops, a, b]);
  const byLap = useMemo(() => new Map(series.map((p) => [p.lap, p])), [series]);
  const tip = ({ label }: { label?: unknown }) => {
    const lap = Number(label);
    const p = byLap.get(lap);
    if (!p) return null;
    const ahead = p.gap >= 0 ? ca : cb;
    const behind = p.gap >= 0 ? cb : ca;
    return (
      <TipFrame testId="gap-tip" lap={lap}>
        <div className="chart-tip-row" data-gap={p.gap}>
          <span>
            {ahead} ahead of {behind} by
          </span>
          <b>{Math.abs(p.gap).toFixed(3)} s</b>
        </div>
        {stops
          .filter((s) => s.lap === lap)
          .map((s) => (
            <div key={s.driver} className="chart-tip-row">
              <em>{styles.get(s.driver)?.code} pits</em>
            </div>
          ))}
      </TipFrame>
    );
  };
  return (
    <Sized>
      {(width, height) => (
        <ComposedChart width={width} height={height} data={series} margin={MARGIN}>
          <CartesianGrid {...GRID} />
          {bandAreas(data.bands)}
          <XAxis dataKey="lap" type="number" domain={domain} allowDecimals={false} {...AXIS} />
          <YAxis {...AXIS} width={44} domain={['auto', 'auto']} />
          <ReferenceLine
            y={0}
            stroke="#8b93a7"
            label={{
              value: `↑ ${ca} ahead · ${cb} ahead ↓`,
              position: 'insideTopLeft',
              fill: '#8b93a7',
              fontSize: 10,
            }}
          />
          {stops.map((s) => (
            <ReferenceLine
              key={`${s.driver}-${s.lap}`}
              x={s.lap}
              stroke={styles.get(s.driver)?.color}
              strokeDasharray="3 3"
              label={{
                value: `${styles.get(s.driver)?.code} pit`,
                position: 'insideBottom',
                fill: '#8b93a7',
                fontSize: 9,
              }}
            />
          ))}
          <Tooltip content={tip} isAnimationActive={false} cursor={{ stroke: '#4a5366' }} />
          <Line
            dataKey="gap"
            stroke={sa?.color ?? '#e8ecf3'}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      )}
    </Sized>
  );
});
