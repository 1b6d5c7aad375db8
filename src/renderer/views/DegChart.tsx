// Tyre degradation: p50 curve and p10–p90 band per compound for the circuit (left axis, s lost vs a new tyre),
// the selected driver's current stint laps and its forecast (right axis, lap time).
import { memo, useMemo } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Scatter,
  XAxis,
  YAxis,
} from 'recharts';
import type { DegradationCurve, StintForecast } from '../../shared/domain.js';
import { useAnalysis, useReplay } from '../stores/index.js';
import { COMPOUND_COLOR } from './format.js';

/** Grid-only chart for when no model has curves yet: the panel keeps its shape. */
function EmptyGrid({ message }: { message: string }) {
  const w = 600;
  const h = 220;
  const grid = [];
  for (let i = 0; i <= 6; i++) grid.push(`M${(i * w) / 6} 0V${h}`);
  for (let i = 0; i <= 4; i++) grid.push(`M0 ${(i * h) / 4}H${w}`);
  return (
    <div className="deg-empty">
      <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true">
        <path d={grid.join('')} className="grid" />
        <path d={`M0 ${h}H${w}M0 0V${h}`} className="axis" />
      </svg>
      <div className="deg-msg">{message}</div>
    </div>
  );
}

const Chart = memo(function Chart({
  curves,
  forecast,
}: {
  curves: DegradationCurve[];
  forecast: StintForecast | null;
}) {
  const series = useMemo(
    () =>
      curves.map((c) => ({
        compound: c.compound,
        data: c.points.map((p) => ({
          tyreAge: p.tyreAge,
          p50: p.p50,
          band: [p.p10, p.p90] as [number, number],
        })),
      })),
    [curves],
  );
  const maxAge = Math.max(
    10,
    ...curves.flatMap((c) => c.points.map((p) => p.tyreAge)),
    ...(forecast?.forecast.map((p) => p.tyreAge) ?? []),
  );
  const lapColor = forecast ? COMPOUND_COLOR[forecast.compound] : '#fff';
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#2a2f3a" strokeDasharray="3 3" />
        <XAxis
          dataKey="tyreAge"
          type="number"
          domain={[0, maxAge]}
          allowDuplicatedCategory={false}
          stroke="#8b93a7"
          tick={{ fontSize: 11 }}
        />
        <YAxis yAxisId="loss" stroke="#8b93a7" tick={{ fontSize: 11 }} width={36} domain={['auto', 'auto']} />
        {forecast ? (
          <YAxis
            yAxisId="lap"
            orientation="right"
            stroke="#8b93a7"
            tick={{ fontSize: 11 }}
            width={44}
            domain={['auto', 'auto']}
          />
        ) : null}
        {series.map((s) => (
          <Area
            key={`${s.compound}-band`}
            yAxisId="loss"
            data={s.data}
            dataKey="band"
            stroke="none"
            fill={COMPOUND_COLOR[s.compound]}
            fillOpacity={0.15}
            isAnimationActive={false}
          />
        ))}
        {series.map((s) => (
          <Line
            key={s.compound}
            yAxisId="loss"
            data={s.data}
            dataKey="p50"
            stroke={COMPOUND_COLOR[s.compound]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        {forecast ? (
          <>
            <Area
              yAxisId="lap"
              data={forecast.forecast.map((p) => ({
                tyreAge: p.tyreAge,
                band: [p.p10 ?? p.lapTime, p.p90 ?? p.lapTime],
              }))}
              dataKey="band"
              stroke="none"
              fill={lapColor}
              fillOpacity={0.1}
              isAnimationActive={false}
            />
            <Line
              yAxisId="lap"
              data={forecast.forecast}
              dataKey="lapTime"
              stroke={lapColor}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />
            <Scatter
              yAxisId="lap"
              data={forecast.observed}
              dataKey="lapTime"
              fill={lapColor}
              isAnimationActive={false}
            />
          </>
        ) : null}
      </ComposedChart>
    </ResponsiveContainer>
  );
});

export function DegChart() {
  const curves = useAnalysis((s) => s.curves);
  const error = useAnalysis((s) => s.curvesError);
  const forecast = useAnalysis((s) => s.forecast);
  const driver = useReplay((s) => s.selectedDriver);
  const info = useReplay((s) => s.info);
  const code = info?.drivers.find((d) => d.driver === driver)?.code ?? driver;
  const empty = curves.length === 0 && !forecast;
  return (
    <section className="panel deg" data-testid="deg-chart" aria-label="Tyre degradation">
      <header>
        <h2>Tyre degradation</h2>
        <div className="legend">
          {curves.map((c) => (
            <span key={c.compound} className="key" data-compound={c.compound}>
              <i style={{ background: COMPOUND_COLOR[c.compound] }} />
              {c.compound} <small>({c.stints} stints)</small>
            </span>
          ))}
          {forecast ? (
            <span className="key">
              <i className="dot" style={{ background: COMPOUND_COLOR[forecast.compound] }} />
              {code} stint + forecast
            </span>
          ) : null}
        </div>
      </header>
      <div className="deg-body">
        {empty ? (
          <EmptyGrid
            message={
              error
                ? `Tyre model unavailable: ${error}`
                : info
                  ? `No degradation curves for ${info.circuitRef} yet`
                  : 'Open a race to see its tyre curves'
            }
          />
        ) : (
          <Chart curves={curves} forecast={forecast} />
        )}
      </div>
      <footer className="axis-note">
        x: tyre age (laps) · left: s lost vs new tyre (p10–p90) · right: lap time (s)
      </footer>
    </section>
  );
}
