// API handlers of the tyre capability: degradation curves per circuit × compound and the live stint forecast.
import type { Handlers } from '../engine/session.js';
import { service } from '../engine/session.js';
import { degradationCurves, type DegradationCurveFit } from './curves.js';
import { forecastFor, loadShippedTyreDeg } from './service.js';

export const tyreHandlers: Handlers<'tyreCurves' | 'stintForecast'> = {
  tyreCurves(s, { circuit }) {
    // curves change only with the data: cached per engine and circuit
    const cache = service(s.engine, 'tyres:curves', () => new Map<string, DegradationCurveFit[]>());
    let c = cache.get(circuit);
    if (!c) cache.set(circuit, (c = degradationCurves(s.engine.db, circuit)));
    return c;
  },
  async stintForecast(s, { season, round, driver, lap }) {
    const model = await service(s.engine, 'tyres:model', () => loadShippedTyreDeg());
    return model ? await forecastFor(s.engine.db, model, season, round, driver, lap) : null;
  },
};
