// Deep link: `?season=2023&round=1&speed=100&play=1` opens that race's replay and starts it at that speed.
export interface DeepLink {
  season?: number;
  round?: number;
  speed?: number;
  play: boolean;
  lap?: number;
}

const int = (v: string | null): number | undefined => {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
};

export function parseDeepLink(q: URLSearchParams): DeepLink {
  const play = q.get('play');
  return {
    season: int(q.get('season')),
    round: int(q.get('round')),
    speed: int(q.get('speed')),
    lap: int(q.get('lap')),
    play: play !== null && play !== '0' && play !== 'false',
  };
}
