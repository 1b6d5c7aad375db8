// Play/pause, speed 1×–100×, current lap; keyboard: space, ←/→ one lap (also from the race pickers, whose own
// keys are ↑/↓), Home/End first/last lap, 1–5 speeds, ? the shortcut help.
import { useEffect, useState } from 'react';
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
  const seek = useReplay((s) => s.seek);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const tag = t?.tagName;
      if (tag === 'TEXTAREA' || (tag === 'INPUT' && (t as HTMLInputElement).type !== 'range')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // a focused picker keeps its own keys (↑/↓, letters); ←/→ still step the replay, not the race
      if (tag === 'SELECT' && e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      if (e.key === ' ') void togglePlay();
      else if (e.key === 'ArrowLeft') void step(-1);
      else if (e.key === 'ArrowRight') void step(1);
      else if (e.key === 'Home') void seek(1);
      else if (e.key === 'End') void seek(Number.MAX_SAFE_INTEGER);
      else if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') setHelp(false);
      else if (/^[1-5]$/.test(e.key)) void setSpeed(SPEEDS[Number(e.key) - 1]!);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, step, seek, setSpeed]);

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
      <button className="help-btn" onClick={() => setHelp((h) => !h)} aria-expanded={help} title="Keyboard shortcuts (?)">
        ?
      </button>
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'],
  ['← / →', 'one lap back / forward'],
  ['Home / End', 'first / last lap'],
  ['1 – 5', 'speed 1× 2× 5× 20× 100×'],
  ['?', 'this help (Esc closes)'],
];

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-help">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={onClose}>Close</button>
    </div>
  );
}
