// Tyre-stint history of the whole field: a row per car in running order, a bar per set over the laps it ran,
// coloured by compound (a used set paler, dashed outline); a set still running ends at the car's latest lap.
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, useXAxisScale, useYAxisScale, XAxis, YAxis } from 'recharts';
import { stintRows } from '../../../shared/charts.js';
import type { ChartStint, RaceCharts } from '../../../shared/domain.js';
import { COMPOUND_COLOR, compoundLetter } from '../format.js';
import { AXIS, GRID, lapDomain, Sized } from './common.js';

interface Row {
  code: string;
  driver: string;
  stints: ChartStint[];
  laps: number; // the car's latest lap: the invisible bar that gives the tooltip its rows
}

/** Running order at the data's time: most laps done, then first to the line. */
function runningOrder(data: RaceCharts): string[] {
  return [...data.drivers]
    .sort((x, y) => {
      const a = x.laps[x.laps.length - 1];
      const b = y.laps[y.laps.length - 1];
      return (b?.lap ?? 0) - (a?.lap ?? 0) || (a?.raceTime ?? Infinity) - (b?.raceTime ?? Infinity);
    })
    .map((d) => d.driver);
}

/**
 * The bars, drawn as plain rects on the chart's scales (one element per set; recharts Bars, one per stint index
 * with a shape per row, took twice as long to mount).
 */
function StintLayer({ rows }: { rows: readonly Row[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="stint-bars">
      {rows.flatMap((r) => {
        const top = y(r.code, { position: 'start' });
        const bottom = y(r.code, { position: 'end' });
        if (top === undefined || bottom === undefined) return [];
        const h = Math.max(2, bottom - top - 2);
        const y0 = top + 1;
        return r.stints.map((st) => {
          const x0 = x(st.fromLap - 1) ?? 0;
          const w = Math.max(1, (x(st.toLap) ?? x0) - x0 - 1);
          const c = COMPOUND_COLOR[st.compound];
          const used = st.fresh === false;
          return (
            <g
              key={`${st.driver}-${st.stint}`}
              data-testid="stint-bar"
              data-driver={st.driver}
              data-stint={st.stint}
              data-compound={st.compound}
              data-from={st.fromLap}
              data-to={st.toLap}
              data-fresh={st.fresh === null ? 'unknown' : String(st.fresh)}
            >
              <rect
                x={x0 + 0.5}
                y={y0}
                width={w}
                height={h}
                fill={c}
                fillOpacity={used ? 0.45 : 0.9}
                stroke={used ? c : 'none'}
                strokeDasharray={used ? '3 2' : undefined}
                rx={2}
              />
              {w > 16 ? (
                <text
                  x={x0 + w / 2}
                  y={y0 + h / 2 + 4}
                  textAnchor="middle"
                  fontSize={10}
                  fill="#0d1017"
                  fontWeight={700}
                >
                  {compoundLetter(st.compound)}
                </text>
              ) : null}
            </g>
          );
        });
      })}
    </g>
  );
}

export const StintBars = memo(function StintBars({ data }: { data: RaceCharts }) {
  const rows = useMemo(
    () =>
      stintRows(data, runningOrder(data)).map(({ driver, stints }) => {
        const row: Row = {
          code: driver.code,
          driver: driver.driver,
          stints,
          laps: stints[stints.length - 1]?.toLap ?? 0,
        };
        return row;
      }),
    [data],
  );
  const domain = useMemo(() => lapDomain(data.drivers), [data.drivers]);
  const tip = ({ payload }: { payload?: readonly { payload?: Row }[] }) => {
    const r = payload?.[0]?.payload;
    if (!r) return null;
    return (
      <div className="chart-tip" data-testid="stint-tip" data-driver={r.driver}>
        <div className="chart-tip-title">{r.code}</div>
        {r.stints.map((s) => (
          <div key={s.stint} className="chart-tip-row">
            <i style={{ background: COMPOUND_COLOR[s.compound] }} />
            <span>
              {s.compound} laps {s.fromLap}–{s.toLap} ({s.toLap - s.fromLap + 1})
            </span>
            <em>{s.fresh === null ? '' : s.fresh ? 'new' : `used, age ${s.startAge ?? '?'}`}</em>
          </div>
        ))}
      </div>
    );
  };
  return (
    <Sized>
      {(width, height) => (
        <BarChart
          width={width}
          height={height}
          data={rows}
          layout="vertical"
          margin={{ top: 4, right: 12, bottom: 4, left: 0 }}
          barCategoryGap={2}
        >
          <CartesianGrid {...GRID} horizontal={false} />
          <XAxis type="number" domain={domain} allowDecimals={false} {...AXIS} />
          <YAxis type="category" dataKey="code" {...AXIS} width={36} interval={0} />
          <Tooltip content={tip} isAnimationActive={false} cursor={{ fill: '#ffffff10' }} />
          <Bar dataKey="laps" isAnimationActive={false} fill="none" shape={() => <g />} />
          <StintLayer rows={rows} />
        </BarChart>
      )}
    </Sized>
  );
});
