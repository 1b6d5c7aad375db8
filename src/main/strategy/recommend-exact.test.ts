// The pit recommendation stated value for value on real races (fast enough for mutation testing): each option's runs
// are recomputed here from the parts the recommender is made of (the race state at the lap, the DP plans, the seeded
// whole-field simulator, the field-pace valuation), and the advice must follow from them exactly: the ranking, the
// deltas, the gain and its p10–p90, "stay out" when boxing's gain is inside its range, the most likely position and
// its probability, the headline, the counterfactuals, the notes and the refusals (a retired car, the last lap).
import { afterAll, describe, expect, it } from 'vitest';
import type { PitAction, PitRecommendation, RaceCompound } from '../../shared/domain.js';
import { RACE_COMPOUNDS, WET_COMPOUNDS } from '../../shared/domain.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { DRY, compoundIndex } from '../race/compounds.js';
import { quantile } from '../util/stats.js';
import { fieldPaceOptions } from './field-pace.js';
import { dpOptimum, pitCost, type CarState, type Stop } from './plan.js';
import { buildRaceModel, GREEN, type RaceModel } from './race-model.js';
import { recommend, stateAt } from './recommend.js';
import { RaceSim, STOCHASTIC } from './sim.js';

// a handle of its own: the recommender caches race models per database
const db = sharedDb();
afterAll(() => db.close());
const SEEDS = 8;
const models = new Map<string, Promise<RaceModel>>();
const model = (season: number, round: number): Promise<RaceModel> => {
  const key = `${season}-${round}`;
  if (!models.has(key)) models.set(key, buildRaceModel(db, season, round));
  return models.get(key)!;
};

type State = ReturnType<typeof stateAt>;
type Shown = { lap: number; compound: RaceCompound };
interface Opt {
  action: PitAction;
  label: string;
  times: ArrayLike<number>;
  positions: number[];
  stops: Shown[];
}

const avg = (xs: ArrayLike<number>): number => {
  let t = 0;
  for (let k = 0; k < xs.length; k++) t += xs[k]!;
  return t / xs.length;
};
const bits = (u: number): number => [0, 1, 2].filter((c) => u & (1 << c)).length;
const stateOf = (s: State, i: number): CarState => ({
  lap: s.lap,
  compound: s.comp[i]!,
  age: s.age[i]!,
  ruleMet: bits(s.used[i]!) >= 2,
  stintLaps: s.stintLaps[i]!,
});
const show = (stops: readonly Stop[]): Shown[] =>
  stops.map((x) => ({ lap: x.lap, compound: DRY[x.compound]! }));
const labelOf = (stops: readonly Shown[]): string =>
  stops.length ? stops.map((x) => `Box lap ${x.lap} → ${x.compound}`).join(', ') : 'No more stops';

/** The seeded runs of one plan for `car`: every other running car on its own DP plan, seeds 5000, 5001, … */
function runs(
  m: RaceModel,
  s: State,
  car: number,
  plan: Stop[],
  seeds: number,
): { times: Float64Array; positions: number[] } {
  const sim = new RaceSim(m);
  for (let i = 0; i < m.nCars; i++)
    if (i !== car && !s.retired[i]) sim.setPlan(i, dpOptimum(m, i, stateOf(s, i), s.status).stops);
  sim.setPlan(car, plan);
  sim.fixedCar = car;
  const times = new Float64Array(seeds);
  const positions: number[] = [];
  for (let k = 0; k < seeds; k++) {
    sim.reset(5000 + k, { ...STOCHASTIC });
    sim.loadState(s);
    sim.run();
    times[k] = sim.finalTime(car) - s.cum[car]!;
    positions.push(sim.pos[car]! + 1);
  }
  return { times, positions };
}

/** Stay out (the DP plan from the lap after) and a stop now for each dry compound (then the DP plan). */
function dryPlans(m: RaceModel, s: State, car: number, stay: boolean): { action: PitAction; plan: Stop[] }[] {
  const L = s.lap + 1;
  const cs = stateOf(s, car);
  const out: { action: PitAction; plan: Stop[] }[] = [];
  if (stay)
    out.push({
      action: 'stay',
      plan: [
        ...dpOptimum(m, car, { ...cs, lap: L, age: cs.age + 1, stintLaps: cs.stintLaps! + 1 }, s.status)
          .stops,
      ],
    });
  (['pit_soft', 'pit_medium', 'pit_hard'] as const).forEach((action, c) => {
    const after: CarState = {
      lap: L,
      compound: c,
      age: 0,
      ruleMet: cs.ruleMet || c !== cs.compound,
      stintLaps: 0,
    };
    out.push({ action, plan: [{ lap: L, compound: c }, ...dpOptimum(m, car, after, s.status).stops] });
  });
  return out;
}

const TRACK = ['green', 'sc', 'vsc', 'red'] as const;

/** The advice, recomputed from its parts. */
async function expected(
  season: number,
  round: number,
  code: string,
  lap: number,
  seeds = 200,
): Promise<PitRecommendation> {
  const m = await model(season, round);
  const car = m.codes.indexOf(code);
  const s = stateAt(db, m, lap - 1);
  const L = lap;
  const running = m.codes.map((_, i) => i).filter((i) => !s.retired[i] && s.tyre[i]);
  const wet = running.filter((i) => s.tyre[i] === 'INTERMEDIATE' || s.tyre[i] === 'WET').length;
  const fieldOnWet = running.length ? wet / running.length : 0;
  const own = s.tyre[car] ?? null;
  const notes: string[] = [];
  if (m.maxStintLaps) notes.push(`Stint limit: ${m.maxStintLaps} laps per set in this race`);
  const from = s.position[car] || [...s.order].indexOf(car) + 1;
  const state: PitRecommendation['state'] = {
    completedLaps: lap - 1,
    position: from,
    compound: own ?? 'UNKNOWN',
    tyreAge: s.age[car]!,
    stintLaps: s.stintLaps[car]!,
    stops: s.stops[car]!,
    trackState: TRACK[s.status[lap - 1]!]!,
    fieldOnWet,
  };
  const options: Opt[] = [];
  const dry = own !== 'INTERMEDIATE' && own !== 'WET' && fieldOnWet <= 0.2;
  if (dry) {
    const cap = m.maxStintLaps;
    const stay = !cap || s.stintLaps[car]! + 2 <= cap;
    if (!stay) notes.push(`Staying out would break the ${cap}-lap stint limit`);
    for (const { action, plan } of dryPlans(m, s, car, stay)) {
      const stops = show(plan);
      options.push({ action, label: labelOf(stops), stops, ...runs(m, s, car, plan, seeds) });
    }
  } else {
    const candidates = fieldOnWet >= 0.5 ? WET_COMPOUNDS : fieldOnWet <= 0.2 ? DRY : RACE_COMPOUNDS;
    if (fieldOnWet >= 0.5)
      notes.push(`Slicks not offered: ${Math.round(fieldOnWet * 100)} % of the field on intermediates/wets`);
    if (fieldOnWet <= 0.2)
      notes.push(`Wet tyres not offered: ${Math.round((1 - fieldOnWet) * 100)} % of the field on slicks`);
    const r = fieldPaceOptions(db, m, s, car, candidates, pitCost(m, s.status[L] ?? GREEN), seeds);
    for (const c of r.missing) notes.push(`No car ran ${c} in the last laps: not valued`);
    notes.push(`Valued on the field's pace of the last laps per compound, over the next ${r.horizon} laps`);
    const pits: Record<RaceCompound, PitAction> = {
      SOFT: 'pit_soft',
      MEDIUM: 'pit_medium',
      HARD: 'pit_hard',
      INTERMEDIATE: 'pit_inter',
      WET: 'pit_wet',
    };
    for (const o of r.options) {
      const stops = o.compound ? [{ lap: L, compound: o.compound }] : [];
      const label = o.compound ? labelOf(stops) : `Stay out on ${own ?? 'this set'} (next ${r.horizon} laps)`;
      options.push({
        action: o.compound ? pits[o.compound] : 'stay',
        label,
        stops,
        times: o.times,
        positions: o.positions,
      });
    }
    if (!options.length)
      return {
        driver: m.drivers[car]!,
        lap,
        state,
        action: 'stay',
        headline: `Stay out: no lap times yet to compare tyres on, P${from}`,
        basis: 'field-pace',
        gain: 0,
        gainRange: { p10: 0, p90: 0 },
        positionFrom: from,
        positionTo: from,
        probability: 0.5,
        position: { expected: from, p10: from, p90: from, distribution: [{ position: from, share: 1 }] },
        plans: [],
        counterfactuals: [],
        notes,
      };
  }
  const ranked = [...options].sort((a, b) => avg(a.times) - avg(b.times));
  const best = ranked[0]!;
  const stay = ranked.find((o) => o.action === 'stay');
  const other = best.action === 'stay' ? ranked.find((o) => o.action !== 'stay') : stay;
  const diffs = other ? Array.from(other.times, (t, k) => t - best.times[k]!) : [0];
  const gain = avg(diffs);
  const p10 = quantile(diffs, 0.1);
  const p90 = quantile(diffs, 0.9);
  const inside = best.action !== 'stay' && stay !== undefined && p10 <= 0;
  const chosen = inside ? stay : best;
  // the most frequent finishing position (the better one on a tie)
  const counts = new Map<number, number>();
  for (const p of chosen.positions) counts.set(p, (counts.get(p) ?? 0) + 1);
  let to = 0;
  for (const [p, k] of counts)
    if (to === 0 || k > counts.get(to)! || (k === counts.get(to)! && p < to)) to = p;
  const n = chosen.positions.length;
  const probability = (chosen.positions.filter((p) => p <= to).length + 0.5) / (n + 1);
  const pctText = `${Math.min(99, Math.max(1, Math.round(probability * 100)))} %`;
  const tail = `P${from} → P${to} with ${pctText}`;
  const first = (o: Opt) => o.stops[0]?.compound ?? '';
  const headline = inside
    ? `Stay out: boxing for ${first(best)} gains only +${gain.toFixed(1)} s (p10 ${p10.toFixed(1)} s), ${tail}`
    : best.action === 'stay'
      ? `Stay out: +${gain.toFixed(1)} s expected, ${tail}`
      : `Box now for ${first(best)}: +${gain.toFixed(1)} s expected, ${tail}`;
  const counterfactuals: string[] = [];
  if (dry && best.stops[0]) {
    const next = best.stops[0];
    for (const shift of [-3, 3, 5]) {
      const at = next.lap + shift;
      if (at < L || at >= m.nLaps) continue;
      if (m.maxStintLaps && s.stintLaps[car]! + (at - (lap - 1)) > m.maxStintLaps) continue;
      const plan = [
        { lap: at, compound: compoundIndex(next.compound) },
        ...best.stops
          .slice(1)
          .filter((x) => x.lap > at)
          .map((x) => ({ lap: x.lap, compound: compoundIndex(x.compound) })),
      ];
      const d = avg(runs(m, s, car, plan, seeds).times) - avg(best.times);
      counterfactuals.push(
        `Pitting ${Math.abs(shift)} laps ${shift < 0 ? 'earlier' : 'later'} (lap ${at}) ${d >= 0 ? 'costs' : 'gains'} ${Math.abs(d).toFixed(1)} s`,
      );
    }
  }
  if (other) {
    const cost = (avg(other.times) - avg(best.times)).toFixed(1);
    counterfactuals.push(
      best.action === 'stay'
        ? `Boxing now for ${first(other)} costs ${cost} s`
        : `Staying out costs ${cost} s (p10–p90 ${p10.toFixed(1)} to ${p90.toFixed(1)} s)`,
    );
  }
  return {
    driver: m.drivers[car]!,
    lap,
    state,
    action: chosen.action,
    headline,
    basis: dry ? 'race-sim' : 'field-pace',
    gain,
    gainRange: { p10, p90 },
    positionFrom: from,
    positionTo: to,
    probability,
    position: {
      expected: avg(chosen.positions),
      p10: quantile(chosen.positions, 0.1),
      p90: quantile(chosen.positions, 0.9),
      distribution: [...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([position, k]) => ({ position, share: k / n })),
    },
    plans: ranked.map((o) => ({
      label: o.label,
      stops: o.stops,
      expectedTime: avg(o.times),
      deltaToBest: avg(o.times) - avg(best.times),
      expectedPosition: avg(o.positions),
    })),
    counterfactuals,
    notes,
  };
}

const advise = async (season: number, round: number, driver: string, lap: number, seeds?: number) =>
  (await recommend(db, { season, round, driver, lap, ...(seeds === undefined ? {} : { seeds }) }))!;

describe('dry races: the race simulator values stay out and a stop now on each dry compound', () => {
  it('boxing is best in nearly every run: box now (2023 Bahrain, Stroll, lap 40: a tie of positions goes to the better one)', async () => {
    const r = await advise(2023, 1, 'STR', 40, SEEDS);
    expect(r).toEqual(await expected(2023, 1, 'STR', 40, SEEDS));
    expect(r.action).toBe('pit_medium');
    expect(r.basis).toBe('race-sim');
    expect(r.headline).toMatch(/^Box now for MEDIUM: \+\d+\.\d s expected, P7 → P7 with 50 %$/);
    expect(r.gainRange.p10).toBeGreaterThan(0);
    expect(r.plans.map((p) => p.stops[0]?.lap)).toContain(40);
    expect(new Set(r.plans.map((p) => p.label)).size).toBe(4);
    // the distribution has two most frequent positions: the better one is named
    const top = Math.max(...r.position.distribution.map((d) => d.share));
    const modes = r.position.distribution.filter((d) => d.share === top).map((d) => d.position);
    expect(modes.length).toBeGreaterThan(1);
    expect(r.positionTo).toBe(Math.min(...modes));
    expect(r.counterfactuals.some((c) => c.includes('earlier'))).toBe(false); // lap 37 is already past
    expect(r.counterfactuals.at(-1)).toMatch(
      /^Staying out costs \d+\.\d s \(p10–p90 \d+\.\d to \d+\.\d s\)$/,
    );
  });

  it('boxing gains on average but not in 90 % of the runs: stay out (Verstappen, lap 14)', async () => {
    const r = await advise(2023, 1, 'VER', 14, SEEDS);
    expect(r).toEqual(await expected(2023, 1, 'VER', 14, SEEDS));
    expect(r.action).toBe('stay');
    expect(r.plans[0]!.stops[0]).toEqual({ lap: 14, compound: 'MEDIUM' }); // the best option is a stop
    expect(r.gainRange.p10).toBeLessThanOrEqual(0);
    expect(r.gain).toBeGreaterThan(0);
    expect(r.headline).toMatch(
      /^Stay out: boxing for MEDIUM gains only \+\d+\.\d s \(p10 -\d+\.\d s\), P1 → P\d+ with \d+ %$/,
    );
    expect(r.state).toMatchObject({
      completedLaps: 13,
      position: 1,
      trackState: 'green',
      fieldOnWet: 0,
      stops: 0,
    });
    expect(r.notes).toEqual([]);
  });

  it('staying out is best, with the stop moved 3 laps earlier, 3 and 5 later (Sainz, lap 31: the earlier stop is this lap), or no stop left (Stroll, lap 52)', async () => {
    const sai = await advise(2023, 1, 'SAI', 31, SEEDS);
    expect(sai).toEqual(await expected(2023, 1, 'SAI', 31, SEEDS));
    expect(sai.action).toBe('stay');
    expect(sai.plans[0]!.label).toBe('Box lap 34 → MEDIUM');
    expect(sai.counterfactuals.map((c) => c.replace(/\d+\.\d s$/, ''))).toEqual([
      'Pitting 3 laps earlier (lap 31) costs ',
      'Pitting 3 laps later (lap 37) costs ',
      'Pitting 5 laps later (lap 39) costs ',
      expect.stringMatching(/^Boxing now for (SOFT|MEDIUM|HARD) costs $/),
    ]);
    const str = await advise(2023, 1, 'STR', 52, SEEDS);
    expect(str).toEqual(await expected(2023, 1, 'STR', 52, SEEDS));
    expect(str.plans[0]).toMatchObject({ label: 'No more stops', stops: [], deltaToBest: 0 });
    expect(str.counterfactuals).toHaveLength(1);
  });

  it('a stint limit (2023 Qatar, 18 laps): staying out past it is not offered, nor a later stop that breaks it', async () => {
    const ver = await advise(2023, 17, 'ALB', 18, SEEDS);
    expect(ver).toEqual(await expected(2023, 17, 'ALB', 18, SEEDS));
    expect(ver.state.stintLaps).toBe(17);
    expect(ver.notes).toEqual([
      'Stint limit: 18 laps per set in this race',
      'Staying out would break the 18-lap stint limit',
    ]);
    expect(ver.plans).toHaveLength(3);
    expect(ver.plans.every((p) => p.stops[0]?.lap === 18)).toBe(true);
    // nothing to compare with: no gain, no counterfactual (a later stop breaks the limit)
    expect([ver.gain, ver.gainRange]).toEqual([0, { p10: 0, p90: 0 }]);
    expect(ver.counterfactuals).toEqual([]);
    expect(ver.headline).toMatch(
      /^Box now for (SOFT|MEDIUM|HARD): \+0\.0 s expected, P\d+ → P\d+ with \d+ %$/,
    );
    // with 16 laps on the set (Verstappen, lap 17) staying out is still allowed: the set's next stop can be lap 18
    const before = await advise(2023, 17, 'VER', 17, SEEDS);
    expect(before).toEqual(await expected(2023, 17, 'VER', 17, SEEDS));
    expect(before.plans.map((p) => p.stops[0]?.lap ?? 0)).toContain(18);
    expect(before.notes).toEqual(['Stint limit: 18 laps per set in this race']);
    const nor = await advise(2023, 17, 'NOR', 44, SEEDS);
    expect(nor).toEqual(await expected(2023, 17, 'NOR', 44, SEEDS));
    expect(nor.counterfactuals).toHaveLength(1);
  });
});

describe('wet and mixed conditions: the field’s recent pace per compound values the options', () => {
  it('most of the field on intermediates/wets (2023 Monaco, lap 62): no slicks, the default 200 runs', async () => {
    const r = await advise(2023, 6, 'VER', 62);
    expect(r).toEqual(await expected(2023, 6, 'VER', 62));
    expect(r.basis).toBe('field-pace');
    expect(r.notes[0]).toMatch(/^Slicks not offered: \d+ % of the field on intermediates\/wets$/);
    expect(r.notes.at(-1)).toBe(
      "Valued on the field's pace of the last laps per compound, over the next 10 laps",
    );
    expect(r.position.distribution.reduce((a, d) => a + d.share * 200, 0)).toBeCloseTo(200, 9);
    for (const p of r.plans) for (const s of p.stops) expect(['INTERMEDIATE', 'WET']).toContain(s.compound);
    expect(r.plans.map((p) => p.label)).toContain('Stay out on INTERMEDIATE (next 10 laps)');
    // a car that finishes where it is in every run: 200.5 / 201, said as 99 % (never 100)
    const sar = await advise(2023, 6, 'SAR', 62);
    expect(sar).toEqual(await expected(2023, 6, 'SAR', 62));
    expect(sar.probability).toBe(200.5 / 201);
    expect(sar.headline).toMatch(/, P18 → P18 with 99 %$/);
  });

  it('a mixed field (2022 Monaco, lap 15: 30 % on wet tyres): every compound is a candidate', async () => {
    for (const code of ['LEC', 'VER']) {
      const r = await advise(2022, 7, code, 15, SEEDS);
      expect(r).toEqual(await expected(2022, 7, code, 15, SEEDS));
      expect(r.basis).toBe('field-pace');
      expect(r.state.fieldOnWet).toBeGreaterThan(0.2);
      expect(r.state.fieldOnWet).toBeLessThan(0.5);
      expect(r.notes.some((n) => /not offered/.test(n))).toBe(false);
    }
    // lap 21: the timing position (lapped cars) is not the order of the race times; the advice starts from it
    const vet = await advise(2022, 7, 'VET', 21, SEEDS);
    expect(vet).toEqual(await expected(2022, 7, 'VET', 21, SEEDS));
    const m = await model(2022, 7);
    const s = stateAt(db, m, 20);
    const i = m.codes.indexOf('VET');
    expect(vet.positionFrom).toBe(s.position[i]);
    expect(vet.positionFrom).not.toBe([...s.order].indexOf(i) + 1);
  });

  it('a car on wet tyres in a dry field (2023 Zandvoort, Pérez, lap 12): only slicks are offered', async () => {
    const r = await advise(2023, 13, 'PER', 12, SEEDS);
    expect(r).toEqual(await expected(2023, 13, 'PER', 12, SEEDS));
    expect(r.basis).toBe('field-pace');
    expect(r.state.compound).toMatch(/^(INTERMEDIATE|WET)$/);
    expect(r.state.fieldOnWet).toBeLessThanOrEqual(0.2);
    expect(r.notes[0]).toMatch(/^Wet tyres not offered: \d+ % of the field on slicks$/);
    for (const p of r.plans)
      for (const s of p.stops) expect(['SOFT', 'MEDIUM', 'HARD']).toContain(s.compound);
  });

  it('under a safety car (2024 Canada, lap 26): the stop is valued at the safety-car pit loss', async () => {
    const r = await advise(2024, 9, 'VER', 26, SEEDS);
    expect(r).toEqual(await expected(2024, 9, 'VER', 26, SEEDS));
    expect(r.state.trackState).toBe('sc');
    expect(r.basis).toBe('field-pace');
  });

  it('a wet start (2024 Canada, lap 1): no lap times yet, stay out said plainly', async () => {
    const r = await advise(2024, 9, 'RUS', 1, SEEDS);
    expect(r).toEqual(await expected(2024, 9, 'RUS', 1, SEEDS));
    expect(r).toMatchObject({
      action: 'stay',
      basis: 'field-pace',
      gain: 0,
      probability: 0.5,
      plans: [],
      counterfactuals: [],
    });
    expect(r.headline).toBe(`Stay out: no lap times yet to compare tyres on, P${r.positionFrom}`);
    expect(r.notes[0]).toBe('Slicks not offered: 100 % of the field on intermediates/wets');
  });
});

describe('refusals', () => {
  it('nothing for a car out of the race (Hamilton, out on lap 1 of 2023 Qatar; Leclerc, 2023 Bahrain after lap 39) or on the last lap', async () => {
    expect(await recommend(db, { season: 2023, round: 17, driver: 'HAM', lap: 3, seeds: 2 })).toBeNull();
    expect(
      (await recommend(db, { season: 2023, round: 1, driver: 'LEC', lap: 40, seeds: 2 }))!.state
        .completedLaps,
    ).toBe(39);
    expect(await recommend(db, { season: 2023, round: 1, driver: 'LEC', lap: 41, seeds: 2 })).toBeNull();
    expect(await recommend(db, { season: 2023, round: 1, driver: 'VER', lap: 57, seeds: 2 })).toBeNull();
    expect((await recommend(db, { season: 2023, round: 1, driver: 'VER', lap: 56, seeds: 2 }))!.lap).toBe(56);
  });

  it('rejects a lap outside 1..the last lap, or a fractional one, naming the field; and a driver who did not start', async () => {
    for (const lap of [0, -1, 1.5, 58])
      await expect(recommend(db, { season: 2023, round: 1, driver: 'VER', lap, seeds: 2 })).rejects.toThrow(
        /^field "lap": lap must be 1–56$/,
      );
    await expect(
      recommend(db, { season: 2023, round: 1, driver: 'nobody', lap: 10, seeds: 2 }),
    ).rejects.toThrow(/driver "nobody" did not start 2023 round 1/);
  });
});
