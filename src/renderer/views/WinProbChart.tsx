// Win probability over laps: the top contenders' P(win) from the pre-race value (lap 0) to the lap on screen.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WinProbabilityTrace } from '../../shared/domain.js';
import { useReplay, useWinProb } from '../stores/index.js';
import { teamColor } from './format.js';

const CONTENDERS = 5;
const FALLBACK = ['#4fc3f7', '#ffb74d', '#e57373', '#81c784', '#ba68c8'];

const Chart = memo(function Chart({ trace, lap, colors }: { trace: WinProbabilityTrace; lap: number; colors: Map<string, string> }) {
  const { data, codes } = useMemo(() => {
    const shown = trace.laps.filter((l) => l.lap <= lap);
    // contenders: the highest P(win) at any lap shown so far
    const peak = new Map<string, number>();
    for (const l of shown) for (const c of l.cars) peak.set(c.code, Math.max(peak.get(c.code) ?? 0, c.win));
    const codes = [...peak].sort((a, b) => b[1] - a[1]).slice(0, CONTENDERS).map(([c]) => c);
    const data = shown.map((l) => {
      const row: Record<string, number> = { lap: l.lap };
      for (const c of l.cars) if (codes.includes(c.code)) row[c.code] = Math.round(c.win * 1000) / 10;
      return row;
    });
    return { data, codes };
  }, [trace, lap]);
  return (
    <ResponsiveContainer width="100%" height={136}>
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: -12 }}>
        <CartesianGrid stroke="#2a2f3a" />
        <XAxis dataKey="lap" type="number" domain={[0, 'dataMax']} tick={{ fill: '#9aa4b2', fontSize: 11 }} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fill: '#9aa4b2', fontSize: 11 }} />
        <Tooltip contentStyle={{ background: '#151922', border: '1px solid #2a2f3a' }} formatter={(v) => `${String(v)} %`} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {codes.map((c, i) => {
          const color = colors.get(c) ?? FALLBACK[i % FALLBACK.length]!;
          // a team-mate of a car already drawn gets the team's colour dashed
          const mate = codes.slice(0, i).some((o) => colors.get(o) === color);
          return <Line key={c} dataKey={c} dot={false} isAnimationActive={false} strokeWidth={2} stroke={color} strokeDasharray={mate ? '5 3' : undefined} />;
        })}
      </LineChart>
    </ResponsiveContainer>
  );
});

export function WinProbChart() {
  const trace = useWinProb((s) => s.trace);
  const error = useWinProb((s) => s.error);
  const lap = useReplay((s) => s.snapshot?.lap ?? 0);
  const rows = useReplay((s) => s.snapshot?.rows);
  const colors = useMemo(() => new Map((rows ?? []).map((r) => [r.code, teamColor(r.teamColor)])), [rows]);
  return (
    <section className="panel winprob" aria-label="Win probability">
      <header>
        <h2>Win probability</h2>
        {trace ? <span className="muted">{trace.source} · lap 0 = pre-race</span> : null}
      </header>
      {trace && trace.laps.length ? (
        <Chart trace={trace} lap={lap} colors={colors} />
      ) : (
        <div className="muted">{error ?? (trace ? 'No probabilities for this race' : 'No win-probability model loaded')}</div>
      )}
    </section>
  );
}
