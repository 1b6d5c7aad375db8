import { describe, expect, it } from 'vitest';
import { rng } from '../gbdt/index.js';
import type { Entry } from './entries.js';
import { fromEntries, seasonSlice, type WinnerData } from './dataset.js';
import { poleScores, softmaxByRace, winnerMetrics } from './metrics.js';
import { columns, cvSeasons, LINEAR_FEATURES, predictWinnerProbs, trainWinner, winnerProbabilities, type WinnerModelJSON } from './model.js';

/** Simulated seasons: 20 drivers with a season-long strength; qualifying follows strength, a grid penalty now and then
 *  sends a driver 5–10 places back; the winner maximises strength + a front-row bonus + Gumbel noise. The form
 *  feature `driver_form:rating` sees the strength, every other feature is noise. */
function simulate(seasons: number[], races = 20, drivers = 20, seed = 7): WinnerData {
  const r = rng(seed);
  const gumbel = () => -Math.log(-Math.log(Math.max(r(), 1e-12)));
  const entries: Entry[] = [];
  const rows: number[][] = [];
  let raceId = 0;
  for (const season of seasons) {
    const strength = Array.from({ length: drivers }, (_, d) => (d === season % drivers ? 3 : 0) + r() * 1.5);
    for (let round = 1; round <= races; round++) {
      raceId++;
      const q = strength.map((s, d) => ({ d, v: s + 0.8 * gumbel() })).sort((a, b) => b.v - a.v);
      const quali = new Map(q.map((o, k) => [o.d, k + 1]));
      const grid = new Map([...quali].map(([d, p]) => [d, r() < 0.1 ? Math.min(drivers, p + 5 + Math.floor(r() * 6)) : p]));
      let winner = 0;
      let best = -Infinity;
      for (let d = 0; d < drivers; d++) {
        const u = strength[d]! + (grid.get(d) === 1 ? 0.7 : 0) - 0.05 * grid.get(d)! + gumbel();
        if (u > best) [best, winner] = [u, d];
      }
      for (let d = 0; d < drivers; d++) {
        const qp = quali.get(d)!;
        entries.push({
          raceId, race: `${season}-${round}`, season, round, circuit: `c${round}`, start: `${season}-01-${String(round).padStart(2, '0')}`,
          driverId: d, driver: `d${d}`, code: `D${d}`, constructorId: d >> 1, constructor: `t${d >> 1}`,
          grid: grid.get(d)!, qualiPos: qp, qualiMs: 90_000 + qp * 150, won: d === winner ? 1 : 0,
        });
        rows.push(LINEAR_FEATURES.map((f) => (f === 'quali_pos' ? qp : f === 'inv_quali_pos' ? 1 / qp : f === 'grid' ? grid.get(d)! : f === 'driver_form:rating' ? strength[d]! + 0.3 * r() : r())));
      }
    }
  }
  return fromEntries(entries, Float64Array.from(rows.flat()), LINEAR_FEATURES);
}

describe('race-winner model (simulated seasons)', () => {
  const data = simulate([2001, 2002, 2003, 2004, 2005, 2006, 2007]);

  it('derives log and indicator columns; a missing grid is NaN in log(grid) and 0 in the indicators', () => {
    const d = { features: ['grid', 'x'], rows: 3, cols: 2, x: Float64Array.from([1, 0, 4, 0, NaN, 0]) };
    const c = columns(d, ['log(grid)', 'grid=1', 'grid=4', 'x']);
    expect(c[0]).toBeCloseTo(0, 9);
    expect(c[4]).toBeCloseTo(Math.log(4), 9);
    expect(Array.from(c.subarray(8, 12)).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 0, 0, 0]);
    expect([c[1], c[2], c[5], c[6]]).toEqual([1, 0, 0, 1]);
    expect(() => columns(d, ['log(nope)'])).toThrow(/"nope" missing/);
  });

  it('validates on the last three training seasons that have two seasons before them', () => {
    expect(cvSeasons([2014, 2015, 2016, 2017, 2018])).toEqual([2016, 2017, 2018]);
    expect(cvSeasons([2014, 2015, 2016, 2017])).toEqual([2016, 2017]);
    expect(cvSeasons([2014, 2015, 2016])).toEqual([2015, 2016]);
    expect(cvSeasons([2014, 2015])).toEqual([2015]);
  });

  it('mixes linear and boosted probabilities, beats the pole prior and ranks a strong driver from the back', () => {
    const t = trainWinner(data, [2001, 2006], 1);
    const m = t.model;
    expect(m.format).toBe('pitwall-race-winner/2');
    expect(m.mix!.linear + m.mix!.boosted).toBeCloseTo(1, 9);
    expect(m.cv.folds.map((f) => f.season)).toEqual([2004, 2005, 2006]);
    const test = seasonSlice(data, 2007, 2007);
    const p = predictWinnerProbs(m, t.gbdt, test);
    for (const [s, e] of test.groups) expect(p.subarray(s, e).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const got = winnerMetrics(p, test.won, test.groups);
    const pole = winnerMetrics(softmaxByRace(poleScores(test.qualiPos), test.groups), test.won, test.groups);
    expect(got.logloss).toBeLessThan(pole.logloss - 0.5);
    // the season's dominant driver (strength +3) starting P6 or further back: still among the model's top three
    const dominant = 2007 % 20;
    let back = 0;
    let inTop3 = 0;
    for (const [s, e] of test.groups) {
      const i = s + test.entries.slice(s, e).findIndex((en) => en.driverId === dominant);
      if (test.entries[i]!.grid! < 6) continue;
      back++;
      let higher = 0;
      for (let k = s; k < e; k++) if (p[k]! > p[i]!) higher++;
      if (higher < 3) inTop3++;
    }
    expect(back).toBeGreaterThan(0);
    expect(inTop3).toBe(back);
  });

  it('trains across a missing season (trees stop early on the previous season present)', () => {
    const gap = simulate([2001, 2002, 2004, 2005, 2006], 8, 12, 3);
    const t = trainWinner(gap, [2001, 2006], 1);
    expect(t.model.cv.folds.map((f) => f.season)).toEqual([2004, 2005, 2006]);
    expect(t.model.cv.folds.every((f) => Number.isFinite(f.logloss) && f.bestIteration >= 1)).toBe(true);
  });

  it('still serves a format-1 model (product of experts with the pole prior)', () => {
    const t = trainWinner(data, [2001, 2006], 1);
    const old: WinnerModelJSON = { ...t.model, format: 'pitwall-race-winner/1', mix: undefined, blend: { model: 0, linear: 0, pole: 1 } };
    const test = seasonSlice(data, 2007, 2007);
    const p = winnerProbabilities(old, t.gbdt.predictRaw(test.x, test.rows), test);
    const pole = softmaxByRace(poleScores(test.qualiPos), test.groups);
    for (let i = 0; i < test.rows; i += 37) expect(p[i]).toBeCloseTo(pole[i]!, 9);
  });
});
