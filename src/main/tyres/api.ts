// API handlers of the tyre capability: degradation curves per circuit × compound and the live stint forecast.
import { serviceKey } from '../engine/kernel/services.js';
import type { Handlers } from '../engine/kernel/session.js';
import { degradationCurves, type DegradationCurveFit } from './curves.js';
import { forecastFor, loadShippedTyreDeg } from './service.js';

// curves change only with the data: cached per engine and circuit
const CURVES = serviceKey('tyres:curves', () => new Map<string, DegradationCurveFit[]>());
const MODEL = serviceKey('tyres:model', () => loadShippedTyreDeg());

export const tyreHandlers: Handlers<'tyreCurves' | 'stintForecast'> = {
  tyreCurves(s, { circuit }) {
    const cache = s.engine.use(CURVES);
    let c = cache.get(circuit);
    if (!c) cache.set(circuit, (c = degradationCurves(s.engine.db, circuit)));
    return c;
  },
  async stintForecast(s, { season, round, driver, lap }) {
    const model = await s.engine.use(MODEL);
    return model ? await forecastFor(s.engine.db, model, season, round, driver, lap) : null;
  },
};
