// The race-winner model, weekend first (format 3): a linear conditional logit (softmax over each race's starters) on
// the weekend features, optionally boosted by a conditional-logit GBDT started from the linear utilities, the two
// mixed as probabilities p = w·p_linear + (1−w)·p_boosted. Every choice — the L2 of the linear part, the boosting
// rounds (0 = no trees) and w — is made by an inner time-ordered validation on the LAST seasons of the training range
// (fold v: fit on seasons < v, score v; pooled logloss); the trees are adopted only when they beat the linear model
// there by TREES_MARGIN; last, a share ε of the pole-sitter prior may be blended in. The test season is never seen.
// Trained and registered by the model kind `race-winner` (training/kinds/race-winner.ts), served by models/service.ts,
// judged season by season by rolling.ts, and the prior of the in-race win-probability model.
import { GbdtModel, trainGbdt, type GbdtJSON, type GbdtParams } from '../gbdt/index.js';
import { fitConditionalLogit, fitLogistic, logisticMargin, type LogisticJSON } from '../logistic.js';
import { seasonSlice, type WinnerData } from './dataset.js';
import { groupsOf, poleScores, softmaxByRace, winnerMetrics, type Groups } from './metrics.js';

export const RECIPE_FORMAT = 'pitwall-race-winner/3';
/** Bump when the recipe's choices or grids change (cached rolling results are keyed by it). */
export const RECIPE_VERSION = 4;

/** Linear part: this weekend first, then this season's team pace, the driver, reliability, circuit. Points-based
 *  history (championship share, points per race) is left to the trees: it lags a change in the order of the field, and
 *  without it the linear model scored better on the development protocol (rolling 2012–2015 from 2006: logloss 1.264
 *  vs 1.290, top1 0.533 vs 0.520), which lies before every test season. */
export const WEEKEND_LINEAR: string[] = [
  'quali_gap_pct',
  'quali_gap_log',
  'teammate_gap_pct',
  'grid',
  'quali_pos',
  'log_grid',
  'grid=1',
  'front_row',
  'pit_lane_start',
  'sprint_delta_pct',
  'team_quali_pace',
  'team_race_pace',
  'team_race_pace_log',
  'driver_vs_car',
  'driver_race_pace',
  'team_mech_dnf_rate',
  'circuit_affinity',
];

/** The points-based history, offered to the linear part as a second feature set (inner validation decides). */
export const POINTS_HISTORY: string[] = ['team_points_rate', 'driver_points_rate', 'points_share'];
export const LINEAR_SETS: string[][] = [WEEKEND_LINEAR, [...WEEKEND_LINEAR, ...POINTS_HISTORY]];
/** Weights of the pole-sitter prior in the final blend p = (1−ε)·p_model + ε·p_pole, chosen on the inner folds. */
const POLE_GRID = [0, 0.05, 0.1, 0.15, 0.2];

export const WEEKEND_GBDT: Partial<GbdtParams> = {
  objective: 'conditional-logit',
  learningRate: 0.05,
  numLeaves: 6,
  maxDepth: 3,
  minDataInLeaf: 40,
  lambdaL2: 10,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  maxBins: 32,
};
const L2_GRID = [1, 3, 10, 30, 100];
/** Sample weight per season back from the last training season (1 = all seasons alike). */
const DECAY_GRID = [1, 0.85, 0.7];
const ROUND_GRID = [0, 25, 50, 100, 200];
const INNER_FOLDS = 4;
/** The trees must beat the linear model on the inner folds by this much logloss to be adopted (simpler model first). */
const TREES_MARGIN = 0.01;

export interface RecipeModelJSON {
  format: typeof RECIPE_FORMAT;
  features: string[];
  linear: LogisticJSON;
  /** Null when the inner validation chose no trees. */
  gbdt: GbdtJSON | null;
  mix: { linear: number; boosted: number };
  /** ε of the pole-sitter prior blended in last (0 = none). */
  pole: number;
  trainSeasons: [number, number];
  cv: { folds: number[]; linearL2: number; decay: number; featureSet: number; rounds: number; logloss: number; linearLogloss: number };
}

/** True for a model of this recipe (a registered model of an earlier recipe has another format). */
export const isRecipeModel = (m: unknown): m is RecipeModelJSON =>
  typeof m === 'object' && m !== null && (m as { format?: unknown }).format === RECIPE_FORMAT;

/** The format a stored race-winner model says it has ('unknown' when it says none), for messages. */
export const modelFormat = (m: unknown): string => String((m as { format?: unknown } | null)?.format ?? 'unknown');

/** What the inner validation chose, as reported by `evaluate race-winner` (both protocols). */
export interface RecipeChoices {
  feature_set: 'weekend' | 'weekend+points';
  linear_l2: number;
  decay: number;
  /** Boosting rounds of the inner folds (0 = no trees; the final fit uses 1.1× as many on the larger range). */
  rounds: number;
  w_linear: number;
  pole: number;
  inner_folds: number[];
}
export function recipeChoices(m: RecipeModelJSON): RecipeChoices {
  return {
    feature_set: m.cv.featureSet ? 'weekend+points' : 'weekend',
    linear_l2: m.cv.linearL2,
    decay: m.cv.decay,
    rounds: m.cv.rounds,
    w_linear: m.mix.linear,
    pole: m.pole,
    inner_folds: m.cv.folds,
  };
}

/** A column by name: a feature `f`, `log(f)` or the indicator `f=k` (0 when f is missing). */
function column(d: Pick<WinnerData, 'features'>, name: string): { f: number; op: (v: number) => number } {
  const m = /^log\((.+)\)$/.exec(name) ?? /^(.+)=(-?\d+(?:\.\d+)?)$/.exec(name);
  const base = m ? m[1]! : name;
  const f = d.features.indexOf(base);
  if (f < 0) throw new Error(`race-winner: feature "${base}" missing from the data`);
  if (!m) return { f, op: (v) => v };
  if (name.startsWith('log(')) return { f, op: (v) => (v > 0 ? Math.log(v) : NaN) };
  const k = Number(m[2]);
  return { f, op: (v) => (v === k ? 1 : 0) };
}

/** The named (possibly derived) columns of d.x, row-major. */
export function columns(d: Pick<WinnerData, 'x' | 'rows' | 'cols' | 'features'>, names: string[]): Float64Array {
  const cs = names.map((n) => column(d, n));
  const out = new Float64Array(d.rows * cs.length);
  for (let r = 0; r < d.rows; r++)
    for (let k = 0; k < cs.length; k++) out[r * cs.length + k] = cs[k]!.op(d.x[r * d.cols + cs[k]!.f]!);
  return out;
}

const fitLinear = (d: WinnerData, l2: number, cols: string[], decay: number) =>
  fitConditionalLogit(columns(d, cols), d.rows, d.won, d.raceIds, cols, l2, seasonWeights(d, decay));
function seasonWeights(d: WinnerData, decay: number): Float64Array {
  let last = 0;
  for (const s of d.seasons) last = Math.max(last, s);
  return Float64Array.from(d.seasons, (s) => decay ** (last - s));
}
const linMargin = (m: LogisticJSON, d: WinnerData) => logisticMargin(m, columns(d, m.scaler.features), d.rows);
const truncate = (g: GbdtModel, k: number) => new GbdtModel({ ...g, trees: g.trees.slice(0, k), bestIteration: k });

function mixProbs(lin: ArrayLike<number>, trees: ArrayLike<number> | null, groups: Groups, w: number): Float64Array {
  const pl = softmaxByRace(lin, groups);
  if (!trees || w >= 1) return pl;
  const pb = softmaxByRace(Float64Array.from(lin, (u, i) => u + trees[i]!), groups);
  return Float64Array.from(pl, (v, i) => w * v + (1 - w) * pb[i]!);
}

const cat = (parts: ArrayLike<number>[]) => Float64Array.from(parts.flatMap((p) => Array.from(p)));

/** Inner validation seasons: the last INNER_FOLDS training seasons with ≥ 2 seasons before them. */
export function innerFolds(seasons: number[], n = INNER_FOLDS): number[] {
  return seasons.slice(Math.max(2, seasons.length - n));
}

export interface FittedRecipe {
  model: RecipeModelJSON;
  gbdt: GbdtModel | null;
}

/** Fits the recipe on the seasons of `train` only (rows of other seasons in `data` are ignored). */
export interface RecipeOptions {
  seed?: number;
  log?: (line: string) => void;
  /** Recipe experiments: other linear feature sets, boosting-round grid, number of inner folds. */
  linearSets?: string[][];
  rounds?: number[];
  folds?: number;
}

export function fitRecipe(data: WinnerData, train: [number, number], o: RecipeOptions = {}): FittedRecipe {
  const { seed = 1, log, linearSets = LINEAR_SETS } = o;
  const roundGrid = o.rounds ?? ROUND_GRID;
  const seasons = [...new Set(data.seasons)].filter((s) => s >= train[0] && s <= train[1]).sort((a, b) => a - b);
  if (seasons.length < 3) throw new Error(`race-winner: need at least 3 training seasons (got ${seasons.join(', ') || 'none'})`);
  const folds = innerFolds(seasons, o.folds).map((v) => ({ v, tr: seasonSlice(data, train[0], v - 1), va: seasonSlice(data, v, v) }));
  const won = cat(folds.map((f) => f.va.won));
  const groups = groupsOf(cat(folds.map((f) => f.va.raceIds)));
  // 1. the linear conditional logit: feature set, L2 and season decay
  let best = { set: 0, l2: L2_GRID[0]!, decay: 1, ll: Infinity, lin: [] as { m: LogisticJSON; tr: Float64Array; va: Float64Array }[] };
  linearSets.forEach((cols, set) => {
    for (const decay of DECAY_GRID)
      for (const l2 of L2_GRID) {
        const lin = folds.map(({ tr, va }) => {
          const m = fitLinear(tr, l2, cols, decay);
          return { m, tr: linMargin(m, tr), va: linMargin(m, va) };
        });
        const ll = winnerMetrics(softmaxByRace(cat(lin.map((f) => f.va)), groups), won, groups).logloss;
        if (ll < best.ll - 1e-9) best = { set, l2, decay, ll, lin };
      }
  });
  const linearColumns = linearSets[best.set]!;
  // 2. trees boosted from the fold's linear utilities; rounds and mixture weight chosen jointly on the folds
  const maxRounds = Math.max(...roundGrid);
  const foldTrees = !maxRounds ? [] : folds.map(({ tr }, k) =>
    trainGbdt(
      { x: tr.x, rows: tr.rows, cols: tr.cols, y: tr.won, group: tr.raceIds, weight: seasonWeights(tr, best.decay), baseMargin: best.lin[k]!.tr },
      { ...WEEKEND_GBDT, numRounds: maxRounds, seed },
      undefined,
      { featureNames: data.features },
    ),
  );
  const linVa = cat(best.lin.map((f) => f.va));
  let choice = { rounds: 0, w: 1, ll: best.ll };
  for (const rounds of roundGrid.filter((r) => r > 0)) {
    const trees = cat(folds.map(({ va }, k) => truncate(foldTrees[k]!, rounds).predictRaw(va.x, va.rows)));
    for (let i = 0; i <= 10; i++) {
      const ll = winnerMetrics(mixProbs(linVa, trees, groups, i / 10), won, groups).logloss;
      if (ll < choice.ll - 1e-9) choice = { rounds, w: i / 10, ll };
    }
  }
  if (choice.w >= 1 || choice.ll > best.ll - TREES_MARGIN) choice = { rounds: 0, w: 1, ll: best.ll };
  // 3. the pole-sitter prior blended in last
  const chosenVa = choice.rounds
    ? mixProbs(linVa, cat(folds.map(({ va }, k) => truncate(foldTrees[k]!, choice.rounds).predictRaw(va.x, va.rows))), groups, choice.w)
    : softmaxByRace(linVa, groups);
  const poleVa = softmaxByRace(poleScores(cat(folds.map((f) => f.va.qualiPos))), groups);
  let pole = { eps: 0, ll: choice.ll };
  for (const eps of POLE_GRID.slice(1)) {
    const ll = winnerMetrics(Float64Array.from(chosenVa, (v, i) => (1 - eps) * v + eps * poleVa[i]!), won, groups).logloss;
    if (ll < pole.ll - 1e-9) pole = { eps, ll };
  }
  log?.(
    `  train ${train.join('–')}: inner folds ${folds.map((f) => f.v).join(',')} → set ${best.set}, L2 ${best.l2}, decay ${best.decay}, ` +
      `rounds ${choice.rounds}, w_linear ${choice.w}, pole ${pole.eps} (logloss ${pole.ll.toFixed(4)}, linear alone ${best.ll.toFixed(4)})`,
  );
  // 4. final fit on the whole training range
  const all = seasonSlice(data, train[0], train[1]);
  const linear = fitLinear(all, best.l2, linearColumns, best.decay);
  const gbdt = choice.rounds
    ? trainGbdt(
        { x: all.x, rows: all.rows, cols: all.cols, y: all.won, group: all.raceIds, weight: seasonWeights(all, best.decay), baseMargin: linMargin(linear, all) },
        { ...WEEKEND_GBDT, numRounds: Math.round(choice.rounds * 1.1), seed },
        undefined,
        { featureNames: data.features },
      )
    : null;
  return {
    gbdt,
    model: {
      format: RECIPE_FORMAT,
      features: data.features,
      linear,
      gbdt: gbdt?.toJSON() ?? null,
      mix: { linear: choice.w, boosted: +(1 - choice.w).toFixed(2) },
      pole: pole.eps,
      trainSeasons: train,
      cv: { folds: folds.map((f) => f.v), linearL2: best.l2, decay: best.decay, featureSet: best.set, rounds: choice.rounds, logloss: pole.ll, linearLogloss: best.ll },
    },
  };
}

/** Per-race probabilities (sum to one over each race's rows). `margins`: the GBDT's raw output (TS or ONNX). */
export function recipeProbabilities(model: RecipeModelJSON, d: WinnerData, margins?: ArrayLike<number>): Float64Array {
  const lin = linMargin(model.linear, d);
  const trees = model.gbdt ? (margins ?? GbdtModel.fromJSON(model.gbdt).predictRaw(d.x, d.rows)) : null;
  const p = mixProbs(lin, trees, d.groups, model.mix.linear);
  if (!model.pole) return p;
  const pole = softmaxByRace(poleScores(d.qualiPos), d.groups);
  return Float64Array.from(p, (v, i) => (1 - model.pole) * v + model.pole * pole[i]!);
}

/** The plain logistic-regression baseline on the same features (binary, then softmax of margins per race). */
export function logisticBaselineProbs(train: WinnerData, test: WinnerData): Float64Array {
  const m = fitLogistic(train.x, train.rows, train.won, train.features, 1);
  return softmaxByRace(logisticMargin(m, test.x, test.rows), test.groups);
}
