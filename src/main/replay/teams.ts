// Team colours for the timing tower, by (normalised) team name; unknown teams get a neutral grey.
const COLORS: [RegExp, string][] = [
  [/red bull/i, '#3671C6'],
  [/ferrari/i, '#E8002D'],
  [/mercedes/i, '#27F4D2'],
  [/mclaren/i, '#FF8000'],
  [/aston martin/i, '#229971'],
  [/alpine/i, '#FF87BC'],
  [/williams/i, '#64C4FF'],
  [/alphatauri|toro rosso|^rb\b|racing bulls/i, '#6692FF'],
  [/alfa romeo|sauber/i, '#52E252'],
  [/haas/i, '#B6BABD'],
  [/racing point|force india/i, '#F596C8'],
  [/renault/i, '#FFF500'],
];

export function teamColor(team: string): string {
  for (const [re, c] of COLORS) if (re.test(team)) return c;
  return '#9CA3AF';
}
