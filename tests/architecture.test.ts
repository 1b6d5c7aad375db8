// The floor plan holds: lint refuses an upward import and names it; the src/main folders import without circles;
// no import() of the project's own modules has a computed specifier; one definition per race concept.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOORS, floorOf } from '../eslint.config.js';
import { PROJECT_ROOT } from './helpers/data.js';

const sources = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src/main'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.tsx?$/.test(f) && !/\.(test|d)\.tsx?$/.test(f) && !f.includes('/testing/'));

/** Folder-level import edges of src/main (engine/kernel and engine/host count as floors of their own). */
function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const f of sources()) {
    const from = floorOf(f);
    if (!from) continue;
    const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      const to = floorOf(normalize(join(dirname(f), m[1]!)));
      if (to && to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  return edges;
}

function findCycle(edges: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe('architecture', () => {
  it('lint refuses an upward import from the ground floor and names the forbidden folder', () => {
    const probe = join(PROJECT_ROOT, 'src/main/data/zz-upward-probe.ts');
    writeFileSync(probe, "import { DETERMINISTIC } from '../strategy/sim.js';\nexport const probe = DETERMINISTIC;\n");
    try {
      const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/eslint/bin/eslint.js'), probe], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/src\/main\/data may not import strategy/);
    } finally {
      rmSync(probe, { force: true });
    }
  });

  it('every src/main source lies on a floor of the plan, and the plan itself has no circle', () => {
    const unplanned = [...new Set(sources().map((f) => floorOf(f)))].filter((f) => f === null || !(f in FLOORS));
    expect(unplanned).toEqual([]);
    const table = new Map(Object.entries(FLOORS).map(([k, v]) => [k, new Set(v as string[])]));
    expect(findCycle(table)).toBeNull();
  });

  it('the src/main folders import one another without a circle', () => {
    expect(findCycle(folderEdges())).toBeNull();
  });

  it('no import() of the tree has a computed specifier', () => {
    const computed = sources().filter((f) => /import\((\s*[^'"`\s)]|\s*`[^`]*\$\{)/.test(readFileSync(join(PROJECT_ROOT, f), 'utf8')));
    expect(computed).toEqual([]);
  });

  it('one definition each of median, quantile and the PRNG', () => {
    const defs = (re: RegExp) => sources().filter((f) => re.test(readFileSync(join(PROJECT_ROOT, f), 'utf8')));
    expect(defs(/^(export )?(function|const|let) median\b/m)).toEqual(['src/main/util/stats.ts']);
    expect(defs(/^(export )?(function|const|let) quantile\b/m)).toEqual(['src/main/util/stats.ts']);
    expect(defs(/^(export )?(function|const) (mulberry32|xorshift\w*|splitmix\w*|sfc32)\b|Math\.imul\(t \^ \(t >>> 15\)/m)).toEqual(['src/main/util/rng.ts']);
  });
});
