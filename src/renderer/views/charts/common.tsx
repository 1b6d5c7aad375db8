// What the strategist charts share: team colours (a team's second car dashed), the SC/VSC/red shading, the
// tooltip frame, and the lap axis. Every chart draws without animation (the data streams with the replay).
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { ReferenceArea } from 'recharts';
import type { ChartDriver, TrackStatusBand, TrackState } from '../../../shared/domain.js';
import { teamColor } from '../format.js';

export interface DriverStyle {
  color: string;
  dash: string | undefined;
  code: string;
}

/** Each car's line: its team colour, dashed for the team's second car (in the order listed). */
export function driverStyles(drivers: readonly ChartDriver[]): Map<string, DriverStyle> {
  const seen = new Map<string, number>();
  const out = new Map<string, DriverStyle>();
  for (const d of drivers) {
    const k = d.team || d.driver;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    out.set(d.driver, { color: teamColor(d.teamColor), dash: n > 0 ? '5 3' : undefined, code: d.code });
  }
  return out;
}

export const BAND_FILL: Partial<Record<TrackState, string>> = {
  sc: '#ffd12e',
  vsc: '#ff9f1a',
  red: '#e10600',
};
export const BAND_LABEL: Partial<Record<TrackState, string>> = { sc: 'SC', vsc: 'VSC', red: 'RED' };

/** Shading of the neutralised race laps: lap n spans n−1 … n on a laps-completed axis. */
export function bandAreas(bands: readonly TrackStatusBand[], yAxisId?: string): ReactNode[] {
  return bands
    .filter((b) => BAND_FILL[b.state])
    .map((b) => (
      <ReferenceArea
        key={`${b.state}-${b.fromLap}`}
        x1={b.fromLap - 1}
        x2={b.toLap}
        {...(yAxisId ? { yAxisId } : {})}
        fill={BAND_FILL[b.state]}
        fillOpacity={0.13}
        stroke="none"
        ifOverflow="hidden"
        // a one-lap band is too narrow for its name: the colour says it (yellow SC, orange VSC, red flag)
        label={
          b.toLap > b.fromLap
            ? { value: BAND_LABEL[b.state], position: 'insideTop', fill: BAND_FILL[b.state], fontSize: 10 }
            : undefined
        }
      />
    ));
}

export const AXIS = { stroke: '#8b93a7', tick: { fontSize: 11 } } as const;
export const GRID = { stroke: '#2a2f3a', strokeDasharray: '3 3' } as const;
export const MARGIN = { top: 10, right: 12, bottom: 4, left: 0 } as const;

export function TipFrame({ testId, lap, children }: { testId: string; lap: number; children: ReactNode }) {
  return (
    <div className="chart-tip" data-testid={testId} data-lap={lap}>
      <div className="chart-tip-title">Lap {lap}</div>
      {children}
    </div>
  );
}

/** Seconds with a sign: +1.234 / −0.500. */
export const signedS = (s: number): string => `${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(3)}`;

/** The laps-completed axis: 0 … the most laps any car has done (at least a few, so an early chart has room). */
export const lapDomain = (drivers: readonly ChartDriver[]): [number, number] => [
  0,
  Math.max(5, ...drivers.map((d) => d.laps[d.laps.length - 1]?.lap ?? 0)),
];

/**
 * Gives a chart its box's size, measured before the first paint (a layout effect) and on every resize, so the chart
 * draws in the frame it mounts in (recharts' ResponsiveContainer waits for a ResizeObserver callback: a frame later).
 */
export function Sized({ children }: { children: (width: number, height: number) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<readonly [number, number] | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const w = Math.floor(r.width);
      const h = Math.floor(r.height);
      setSize((s) => (s && s[0] === w && s[1] === h ? s : [w, h]));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return; // measured once (test DOMs)
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    <div ref={ref} className="chart-size">
      {size && size[0] > 0 && size[1] > 0 ? children(size[0], size[1]) : null}
    </div>
  );
}
