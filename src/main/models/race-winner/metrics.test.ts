import { describe, expect, it } from 'vitest';
import { groupsOf, poissonBinomial, winnerMetrics, winnerUncertainty } from './metrics.js';

/** n races of 4 starters; the favourite (row 0) has probability pFav and wins when `favWins(k)`. */
function races(n: number, pFav: number, favWins: (k: number) => boolean) {
  const p: number[] = [];
  const won: number[] = [];
  const ids: number[] = [];
  for (let k = 0; k < n; k++) {
    const rest = (1 - pFav) / 3;
    p.push(pFav, rest, rest, rest);
    const w = favWins(k) ? 0 : 1 + (k % 3);
    won.push(...[0, 1, 2, 3].map((i) => (i === w ? 1 : 0)));
    ids.push(k, k, k, k);
  }
  return { p, won, groups: groupsOf(ids) };
}

describe('race-winner metric uncertainty', () => {
  it('poissonBinomial is the binomial when all probabilities are equal', () => {
    const d = poissonBinomial([0.3, 0.3, 0.3, 0.3]);
    const binom = [0, 1, 2, 3, 4].map((k) => [1, 4, 6, 4, 1][k]! * 0.3 ** k * 0.7 ** (4 - k));
    d.forEach((v, k) => expect(v).toBeCloseTo(binom[k]!, 12));
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('expects top1 = mean favourite probability and top3 = mean top-three mass', () => {
    const r = races(40, 0.6, (k) => k % 5 !== 0);
    const u = winnerUncertainty(r.p, r.won, r.groups);
    expect(u.expected.top1).toBeCloseTo(0.6, 4);
    expect(u.expected.top3).toBeCloseTo(0.6 + (2 * 0.4) / 3, 4);
    // 40 races at p = 0.6: the 5–95 % range of the favourite's wins is 19–29 races
    expect(u.expected.top1_range90[0]).toBeCloseTo(19 / 40, 4);
    expect(u.expected.top1_range90[1]).toBeCloseTo(29 / 40, 4);
  });

  it('bootstrap intervals contain the realised metrics and narrow with more races', () => {
    const short = races(20, 0.5, (k) => k % 2 === 0);
    const long = races(400, 0.5, (k) => k % 2 === 0);
    const us = winnerUncertainty(short.p, short.won, short.groups, 3);
    const ul = winnerUncertainty(long.p, long.won, long.groups, 3);
    const m = winnerMetrics(short.p, short.won, short.groups);
    expect(us.ci95.top1[0]).toBeLessThanOrEqual(m.top1);
    expect(us.ci95.top1[1]).toBeGreaterThanOrEqual(m.top1);
    expect(us.ci95.logloss[0]).toBeLessThanOrEqual(m.logloss);
    expect(us.ci95.logloss[1]).toBeGreaterThanOrEqual(m.logloss);
    const width = (c: [number, number]) => c[1] - c[0];
    expect(width(ul.ci95.top1)).toBeLessThan(width(us.ci95.top1) / 2);
    // same seed, same intervals
    expect(winnerUncertainty(short.p, short.won, short.groups, 3)).toEqual(us);
  });
});
