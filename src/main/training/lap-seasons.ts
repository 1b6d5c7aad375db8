// Split defaults and data checks shared by the model kinds trained on the FastF1 race laps (lap-time, tyre-deg).
import type { Db } from '../data/db.js';
import type { ModelKind, ValidationCheck } from './kind.js';

export function seasonsWithLaps(db: Db): number[] {
  return (
    db.prepare(`SELECT DISTINCT season AS y FROM laps WHERE session = 'race' ORDER BY 1`).all() as {
      y: number;
    }[]
  ).map((r) => r.y);
}

/** Default split: every lap season but the last for training, the last for testing; checks each season has laps. */
export const lapSeasonSplit: Pick<ModelKind, 'defaultSplit' | 'validate'> = {
  defaultSplit(db) {
    const s = seasonsWithLaps(db);
    const last = s[s.length - 1] ?? 2024;
    return { train: [s[0] ?? 2018, last - 1], test: [last, last] };
  },
  validate(ctx, split) {
    const have = new Set(seasonsWithLaps(ctx.db));
    const checks: ValidationCheck[] = [
      {
        name: 'time order',
        ok: split.train[1] < split.test[0],
        detail: `train ${split.train.join('–')} before test ${split.test.join('–')}`,
      },
    ];
    for (const [part, r] of [
      ['train', split.train],
      ['test', split.test],
    ] as const)
      for (let y = r[0]; y <= r[1]; y++)
        checks.push({
          name: `laps ${y}`,
          ok: have.has(y),
          detail: `${part} season ${y} ${have.has(y) ? 'has' : 'has no'} race laps`,
        });
    return checks;
  },
};
