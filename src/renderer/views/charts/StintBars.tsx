// Tyre-stint history of the whole field: a row per car in running order, a bar per set over the laps it ran,
// coloured by compound (a used set paler, dashed outline); a set still running ends at the car's latest lap.
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { stintRows } from '../../../shared/charts.js';
import type { ChartStint, RaceCharts } from '../../../shared/domain.js';
import { COMPOUND_COLOR, compoundLetter } from '../format.js';
import { AXIS, GRID, lapDomain, Sized } from './common.js';

type Row = { code: string; driver: string; stints: ChartStint[] } & Record<`s${number}`, number>;

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

function StintRect(k: number) {
  return function Shape(p: { x?: number; y?: number; width?: number; height?: number; payload?: Row }) {
    const s = p.payload?.stints[k];
    if (!s || !p.width || p.x === undefined || p.y === undefined || !p.height) return null;
    const c = COMPOUND_COLOR[s.compound];
    const used = s.fresh === false;
    const h = p.height;
    return (
      <g
        data-testid="stint-bar"
        data-driver={s.driver}
        data-stint={s.stint}
        data-compound={s.compound}
        data-from={s.fromLap}
        data-to={s.toLap}
        data-fresh={s.fresh === null ? 'unknown' : String(s.fresh)}
      >
        <rect
          x={p.x + 0.5}
          y={p.y}
          width={Math.max(1, p.width - 1)}
          height={h}
          fill={c}
          fillOpacity={used ? 0.45 : 0.9}
          stroke={used ? c : 'none'}
          strokeDasharray={used ? '3 2' : undefined}
          rx={2}
        />
        {p.width > 16 ? (
          <text
            x={p.x + p.width / 2}
            y={p.y + h / 2 + 4}
            textAnchor="middle"
            fontSize={10}
            fill="#0d1017"
            fontWeight={700}
          >
            {compoundLetter(s.compound)}
          </text>
        ) : null}
      </g>
    );
  };
}

export const StintBars = memo(function StintBars({ data }: { data: RaceCharts }) {
  const rows = useMemo(
    () =>
      stintRows(data, runningOrder(data)).map(({ driver, stints }) => {
        const row = { code: driver.code, driver: driver.driver, stints } as Row;
        let prev = 0;
        stints.forEach((s, i) => {
          row[`s${i}`] = s.toLap - prev; // stacked: each bar ends on its stint's last lap
          prev = s.toLap;
        });
        return row;
      }),
    [data],
  );
  const most = Math.max(0, ...rows.map((r) => r.stints.length));
  const shapes = useMemo(() => Array.from({ length: most }, (_, k) => StintRect(k)), [most]);
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
          {shapes.map((shape, k) => (
            <Bar key={k} dataKey={`s${k}`} stackId="stints" isAnimationActive={false} shape={shape} />
          ))}
        </BarChart>
      )}
    </Sized>
  );
});
