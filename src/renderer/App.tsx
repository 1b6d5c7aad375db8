// The main screen: race picker + replay controls on top, timing tower left, tyres/strategy/commentary right;
// a Models tab. `data-app-state` tells tests and benchmarks when start-up data has loaded.
import { useEffect, useState } from 'react';
import type { DeepLink } from './deeplink.js';
import { StoresContext, useReplay, type Stores } from './stores/index.js';
import { ChartsView } from './views/charts/ChartsView.js';
import { CommentaryFeed } from './views/CommentaryFeed.js';
import { DegChart } from './views/DegChart.js';
import { LiveBadge, LiveView } from './views/LiveView.js';
import { ModelsView } from './views/ModelsView.js';
import { RacePicker } from './views/RacePicker.js';
import { ReplayControls } from './views/ReplayControls.js';
import { ResultsTable, ResultsView } from './views/ResultsView.js';
import { SeekBar } from './views/SeekBar.js';
import { StrategyCard } from './views/StrategyCard.js';
import { TimingTower } from './views/TimingTower.js';
import { WinProbChart } from './views/WinProbChart.js';
import { UpdateData } from './views/UpdateData.js';

type View = 'race' | 'live' | 'charts' | 'results' | 'models';
const VIEW_LABEL: Record<View, string> = {
  race: 'Race',
  live: 'Live',
  charts: 'Charts',
  results: 'Results',
  models: 'Models',
};

/** The address follows the open race (`?season=&round=`), so a reload or a shared link opens it again. */
function useRaceInUrl(stores: Stores): void {
  useEffect(
    () =>
      stores.replay.subscribe((s, prev) => {
        const season = s.info?.season ?? s.results?.season;
        const round = s.info?.round ?? s.results?.round;
        if (season === undefined || round === undefined) return;
        if (
          season === (prev.info?.season ?? prev.results?.season) &&
          round === (prev.info?.round ?? prev.results?.round)
        )
          return;
        const q = new URLSearchParams(window.location.search);
        if (q.get('season') === String(season) && q.get('round') === String(round)) return;
        q.set('season', String(season));
        q.set('round', String(round));
        for (const k of ['lap', 'play', 'speed']) q.delete(k);
        window.history.replaceState(null, '', `${window.location.pathname}?${q.toString()}`);
      }),
    [stores],
  );
}

function Shell() {
  const boot = useReplay((s) => s.boot);
  const info = useReplay((s) => s.info);
  const connection = useReplay((s) => s.connection);
  const results = useReplay((s) => s.results);
  const finished = useReplay((s) => (s.snapshot && s.info ? s.snapshot.lap >= s.info.totalLaps : false));
  const [view, setView] = useState<View>('race');
  return (
    <div className="app" data-app-state={boot}>
      <header className="top">
        <div className="brand">PitWall</div>
        <RacePicker />
        <UpdateData />
        <ReplayControls />
        <div className="race-name">{info ? `${info.season} ${info.name}` : ''}</div>
        <LiveBadge />
        {connection === 'open' ? null : (
          <div className="conn" role="alert">
            {connection === 'closed' ? 'Engine connection lost — retrying…' : 'Connecting to the engine…'}
          </div>
        )}
        <nav className="tabs" role="tablist">
          {(['race', 'live', 'charts', 'results', 'models'] as const).map((v) => (
            <button
              key={v}
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'on' : ''}
              onClick={() => setView(v)}
            >
              {VIEW_LABEL[v]}
            </button>
          ))}
        </nav>
      </header>
      <SeekBar />
      {view === 'race' && !info && results && !results.hasLaps ? (
        <main className="results-main">
          <ResultsView />
        </main>
      ) : view === 'race' ? (
        <main className="race-view">
          <TimingTower />
          <div className="side">
            {finished && results ? (
              <section className="panel flag" aria-label="Chequered flag">
                <header>
                  <h2>Chequered flag — classification</h2>
                </header>
                <ResultsTable results={results} compact />
              </section>
            ) : null}
            <WinProbChart />
            <DegChart />
            <StrategyCard />
            <CommentaryFeed />
          </div>
        </main>
      ) : view === 'charts' ? (
        <main className="charts-main">
          <ChartsView />
        </main>
      ) : view === 'live' ? (
        <LiveView />
      ) : view === 'results' ? (
        <main className="results-main">
          <ResultsView />
        </main>
      ) : (
        <main className="models-main">
          <ModelsView />
        </main>
      )}
    </div>
  );
}

export function App({ stores, link }: { stores: Stores; link: DeepLink }) {
  useEffect(() => {
    // the style first, so the race's first lines are written in the style the buttons show
    void stores.commentary
      .getState()
      .restore()
      .finally(() => stores.replay.getState().init(link))
      // the shared live feed's state for the header (pushes come only while a feed runs)
      .finally(() => void stores.live.getState().subscribe());
  }, [stores, link]);
  useRaceInUrl(stores);
  return (
    <StoresContext.Provider value={stores}>
      <Shell />
    </StoresContext.Provider>
  );
}
