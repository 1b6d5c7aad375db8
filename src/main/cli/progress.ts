// Progress for long work: a bar (cli-progress) on a TTY, plain lines (every 10 %) otherwise. Writes to stderr.
import { SingleBar } from 'cli-progress';
import type { OnProgress } from '../data/importer.js';

export interface ProgressReporter {
  update(done: number, total: number, phase?: string): void;
  /** The engine-side callback form (`onProgress`). */
  readonly onProgress: OnProgress;
  done(message?: string): void;
}

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let lastPct = -1;
  let bar: SingleBar | null = null;
  const update = (done: number, total: number, phase = label): void => {
    if (total <= 0) return;
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (stream.isTTY) {
      if (!bar) {
        bar = new SingleBar({ stream, format: '{phase} [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true });
        bar.start(total, done, { phase });
      }
      bar.setTotal(total);
      bar.update(done, { phase });
    } else if (pct >= lastPct + 10 || (pct === 100 && lastPct !== 100)) {
      stream.write(`${phase}: ${pct}% (${done}/${total})\n`);
      lastPct = pct;
    }
  };
  return {
    update,
    onProgress: (phase, done, total) => update(done, total, phase),
    done(message?: string): void {
      bar?.stop();
      bar = null;
      if (message) stream.write(message + '\n');
    },
  };
}

/** Opens the database for a command, drawing the first-start import's progress. */
export function bootstrapProgress(): { onProgress: OnProgress; done(): void } {
  const bar = progressReporter('building database from bundled data');
  return { onProgress: (phase, d, t) => bar.update(d, t, `first start: ${phase}`), done: () => bar.done() };
}
