// Start-up arguments → the renderer's deep-link query: `--season=2023 --round=1 --speed=100 --play`
// opens the same replay as `/?season=2023&round=1&speed=100&play=1` in a browser.
const KEYS = ['season', 'round', 'speed', 'lap'] as const;

export function deepLinkQuery(argv: readonly string[]): Record<string, string> {
  const q: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const key = m[1]!;
    if (key === 'play') {
      q.play = m[2] === '0' || m[2] === 'false' ? '0' : '1';
    } else if ((KEYS as readonly string[]).includes(key)) {
      const value = m[2] ?? argv[i + 1];
      if (m[2] === undefined) i++;
      if (value !== undefined && /^\d+$/.test(value)) q[key] = value;
    }
  }
  return q;
}

export const queryString = (q: Record<string, string>): string => {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
};
