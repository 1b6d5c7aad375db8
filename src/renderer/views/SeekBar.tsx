// Seek bar: one slot per lap, lap marks every 10 laps, SC/VSC/red-flag bands from ReplayInfo.bands.
import { useReplay } from '../stores/index.js';

export function SeekBar() {
  const info = useReplay((s) => s.info);
  const lap = useReplay((s) => s.snapshot?.lap ?? 1);
  const seek = useReplay((s) => s.seek);
  const total = info?.totalLaps ?? 0;
  const at = (l: number) => (total > 1 ? ((l - 1) / (total - 1)) * 100 : 0);
  const marks = [];
  for (let l = 10; l < total; l += 10) marks.push(l);
  return (
    <div className={`seek ${info ? '' : 'off'}`}>
      <div className="seek-track">
        {info?.bands
          .filter((b) => b.state !== 'green' && b.state !== 'yellow')
          .map((b, i) => (
            <div
              key={i}
              className={`band band-${b.state}`}
              data-testid="seek-band"
              data-state={b.state}
              data-from={b.fromLap}
              data-to={b.toLap}
              title={`${b.state.toUpperCase()} laps ${b.fromLap}–${b.toLap}`}
              style={{ left: `${at(b.fromLap)}%`, width: `${Math.max(0.6, at(b.toLap) - at(b.fromLap))}%` }}
            />
          ))}
        {marks.map((l) => (
          <div key={l} className="mark" style={{ left: `${at(l)}%` }}>
            <span>{l}</span>
          </div>
        ))}
        <div className="progress" style={{ width: `${at(lap)}%` }} />
      </div>
      <input
        type="range"
        aria-label="Seek lap"
        min={1}
        max={Math.max(1, total)}
        step={1}
        value={lap}
        disabled={!info}
        onChange={(e) => void seek(Number(e.target.value))}
      />
    </div>
  );
}
