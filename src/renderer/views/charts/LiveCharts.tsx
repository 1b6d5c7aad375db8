// The strategist charts on the Live screen: the Charts tab's own view over the live feed's charts store, whose data
// (`liveCharts`) holds only the laps completed by the moment this screen is shown (its broadcast delay applied).
import { ChartsStoreContext, useLiveChartsStore } from '../../stores/index.js';
import { ChartsView } from './ChartsView.js';

export function LiveCharts() {
  const store = useLiveChartsStore();
  return (
    <ChartsStoreContext.Provider value={store}>
      <main className="charts-main" data-testid="live-charts">
        <ChartsView live />
      </main>
    </ChartsStoreContext.Provider>
  );
}
