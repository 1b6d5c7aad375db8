// Play/pause, speed 1×–100×, current lap; keyboard: space, ←/→ one lap, 1–5 speeds.
import { useEffect } from 'react';
import { SPEEDS } from '../stores/replay.js';
import { useReplay } from '../stores/index.js';

export function ReplayControls() {
  const info = useReplay((s) => s.info);
  const lap = useReplay((s) => s.snapshot?.lap ?? null);
  const playing = useReplay((s) => s.playing);
  const speed = useReplay((s) => s.speed);
  const togglePlay = useReplay((s) => s.togglePlay);
  const setSpeed = useReplay((s) => s.setSpeed);
  const step = useReplay((s) => s.step);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const tag = t?.tagName;
      if (
        tag === 'SELECT' ||
        tag === 'TEXTAREA' ||
        (tag === 'INPUT' && (t as HTMLInputElement).type !== 'range')
      )
        return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ' ') void togglePlay();
      else if (e.key === 'ArrowLeft') void step(-1);
      else if (e.key === 'ArrowRight') void step(1);
      else if (/^[1-5]$/.test(e.key)) void setSpeed(SPEEDS[Number(e.key) - 1]!);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, step, setSpeed]);

  const disabled = !info;
  return (
    <div className="controls">
      <button
        className="play"
        disabled={disabled}
        onClick={() => void togglePlay()}
        title="Play/pause (space)"
        aria-label={playing ? 'Pause' : 'Play'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <div className="speeds" role="group" aria-label="Replay speed">
        {SPEEDS.map((s, i) => (
          <button
            key={s}
            disabled={disabled}
            className={s === speed ? 'on' : ''}
            onClick={() => void setSpeed(s)}
            title={`${s}× (key ${i + 1})`}
          >
            {s}×
          </button>
        ))}
      </div>
      <div className="lap" data-testid="replay-lap">
        Lap <b>{lap ?? '–'}</b>/{info?.totalLaps ?? '–'}
      </div>
    </div>
  );
}
