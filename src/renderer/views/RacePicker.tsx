// Season and race selection; picking a race opens its replay.
import { useReplay } from '../stores/index.js';

export function RacePicker() {
  const seasons = useReplay((s) => s.seasons);
  const races = useReplay((s) => s.races);
  const season = useReplay((s) => s.season);
  const round = useReplay((s) => s.round);
  const selectSeason = useReplay((s) => s.selectSeason);
  const openRace = useReplay((s) => s.openRace);
  return (
    <div className="picker">
      <select
        aria-label="Season"
        data-testid="season-picker"
        value={season ?? ''}
        onChange={(e) => void selectSeason(Number(e.target.value))}
      >
        {seasons.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
      <select
        aria-label="Race"
        data-testid="race-picker"
        className="race-select"
        value={round ?? ''}
        onChange={(e) => season !== null && void openRace(season, Number(e.target.value))}
      >
        <option value="" disabled>
          {races.length ? 'Choose a race…' : 'No races'}
        </option>
        {races.map((r) => (
          <option key={r.round} value={r.round} title={r.hasLaps ? undefined : 'classification only: no lap-by-lap data'}>
            {`R${r.round} ${r.name}${r.hasLaps ? '' : ' (results)'}`}
          </option>
        ))}
      </select>
    </div>
  );
}
