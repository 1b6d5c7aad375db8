// Commentary: newest line on top, a priority marker (a bar, so it never reads as a tyre badge), source (Claude or
// offline), style switcher (aria-pressed tells which style the lines are written in).
import { STYLES } from '../stores/commentary.js';
import { useCommentary, useReplay } from '../stores/index.js';
import { Empty } from './Empty.js';

const VISIBLE = 30;

export function CommentaryFeed() {
  const lines = useCommentary((s) => s.lines);
  const style = useCommentary((s) => s.style);
  const error = useCommentary((s) => s.error);
  const setStyle = useCommentary((s) => s.setStyle);
  const info = useReplay((s) => s.info);
  return (
    <section className="panel commentary" aria-label="Commentary">
      <header>
        <h2>Commentary</h2>
        <div className="styles" role="group" aria-label="Commentary style">
          {STYLES.map((s) => (
            <button key={s} className={s === style ? 'on' : ''} aria-pressed={s === style} onClick={() => void setStyle(s)}>
              {s}
            </button>
          ))}
        </div>
      </header>
      {lines.length === 0 ? (
        <Empty
          title={error ? 'Commentary unavailable' : 'No commentary yet'}
          detail={error ?? (info ? 'Lines arrive as the race unfolds.' : 'Open a race.')}
        />
      ) : (
        <ol className="feed">
          {lines.slice(0, VISIBLE).map((l) => (
            <li key={l.id} className="line" data-testid="commentary-line" data-priority={l.event.priority} data-style={l.style}>
              <span className="c-lap num">L{l.lap}</span>
              <span
                className={`prio p-${l.event.priority.toLowerCase()}`}
                title={`${l.event.priority.toLowerCase()} priority`}
                aria-label={`${l.event.priority.toLowerCase()} priority`}
              />
              <span className="text">{l.text}</span>
              <span
                className={`src src-${l.source}`}
                title={l.validation.ok ? 'checked against the data' : l.validation.issues.join('; ')}
              >
                {l.source === 'claude' ? 'Claude' : 'offline'}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
