// Progress for long work: a bar on a TTY, plain lines (every 10 %) otherwise. Writes to stderr.
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPct = -1;
  const tty = Boolean(stream.isTTY);
  return {
    update(done: number, total: number, phase = label): void {
      if (total <= 0) return;
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (tty) {
        if (pct === lastPct) return;
        const width = 30;
        const fill = Math.round((pct / 100) * width);
        stream.write(`\r${phase} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}%`);
      } else if (pct >= lastPct + 10 || (pct === 100 && lastPct !== 100)) {
        stream.write(`${phase}: ${pct}% (${done}/${total})\n`);
      } else return;
      lastPct = pct;
    },
    done(message?: string): void {
      if (tty) stream.write('\r\x1b[K');
      if (message) stream.write(message + '\n');
    },
  };
}
