// npm run test:mutation — Stryker over the core modules (stryker.config.json), one group of modules at a time, so a
// run that is stopped keeps every group it finished: a full run takes hours on 2 cores. Each group's results are
// Stryker's own incremental file (reports/mutation/groups/); a rerun tests only the mutants whose code or covering
// tests changed. At the end the groups are merged into mutation/stryker-incremental.json.gz (in git: the baseline a
// fresh checkout starts from) and one last incremental Stryker run over every module writes the report
// (reports/mutation/mutation.json and mutation.html) from it without testing anything again.
//   node scripts/mutation.mjs [group …]     (default: the groups without results in the baseline, then the report)
//   node scripts/mutation.mjs --merge       (only merge the groups' results into the baseline; the report when all ran)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readJson, writeJsonGz } from './json-gz.mjs';

const CONFIG = 'stryker.config.json';
const BASELINE = 'mutation/stryker-incremental.json.gz';
/** Where stryker.config.json keeps its incremental file. */
const INCREMENTAL = 'reports/stryker-incremental.json';
const DIR = 'reports/mutation/groups';
/** Modules by group, in the order they run (cheap first). Every `mutate` entry of the config is in exactly one. */
const GROUPS = {
  commentary: ['src/main/commentary/queue.ts', 'src/main/commentary/pipeline.ts', 'src/main/commentary/session.ts', 'src/main/commentary/validator.ts'],
  data: ['src/main/features/historical.ts', 'src/main/data/importer.ts'],
  snapshot: ['src/main/replay/snapshot.ts'],
  drift: ['src/main/monitoring/drift.ts'],
  timeline: ['src/main/replay/timeline.ts'],
  gbdt: ['src/main/models/gbdt/train.ts'],
  server: ['src/main/server/server.ts:145-156', 'src/main/server/server.ts:270-385'],
  recommend: ['src/main/strategy/recommend.ts'],
};

const base = JSON.parse(readFileSync(CONFIG, 'utf8'));
const grouped = Object.values(GROUPS).flat();
const missing = base.mutate.filter((m) => !grouped.includes(m));
const extra = grouped.filter((m) => !base.mutate.includes(m));
if (missing.length || extra.length)
  throw new Error(`scripts/mutation.mjs: GROUPS must hold ${CONFIG}'s "mutate" exactly (missing: ${missing.join(', ') || '-'}; not in the config: ${extra.join(', ') || '-'})`);

const mergeOnly = process.argv.includes('--merge');
const asked = process.argv.slice(2).filter((a) => a !== '--merge');
for (const g of asked) if (!(g in GROUPS)) throw new Error(`unknown group "${g}" (groups: ${Object.keys(GROUPS).join(', ')})`);
mkdirSync(DIR, { recursive: true });

const stryker = (cfg) => {
  const r = spawnSync('npx', ['stryker', 'run', cfg], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`stryker run ${cfg} failed (exit ${r.status})`);
};
const incrementalOf = (g) => `${DIR}/${g}.incremental.json`;

const filesOf = (g) => [...new Set(GROUPS[g].map((m) => m.replace(/:\d+-\d+$/, '')))];
/** The groups with a module that `files` (a report's per-file results) has nothing for. */
const groupsMissingIn = (files) => Object.keys(GROUPS).filter((g) => filesOf(g).some((f) => !files[f]));
const baseline = existsSync(BASELINE) ? readJson(BASELINE) : null;
// by default only the groups the baseline has no results for; the report's incremental run retests whatever changed
for (const g of mergeOnly ? [] : asked.length ? asked : groupsMissingIn(baseline?.files ?? {})) {
  const inc = incrementalOf(g);
  if (!existsSync(inc) && baseline) writeFileSync(inc, JSON.stringify(baseline)); // start from the committed results
  const cfg = `${DIR}/${g}.config.json`;
  const { $schema: _, ...rest } = base;
  writeFileSync(cfg, JSON.stringify({ ...rest, mutate: GROUPS[g], incrementalFile: inc, reporters: ['json', 'progress'], jsonReporter: { fileName: `${DIR}/${g}.json` } }, null, 2));
  const t0 = Date.now();
  console.log(`mutation: group ${g} (${GROUPS[g].join(', ')})`);
  stryker(cfg);
  console.log(`mutation: group ${g} done in ${Math.round((Date.now() - t0) / 60_000)} min`);
}
// Merge the groups' results (one entry per mutated file) into the baseline, the groups not run yet keeping what the
// baseline had of them. Stryker numbers the tests of each run in the order their files finish, so a test's id means
// something only inside its own report: every group's killedBy/coveredBy ids are rewritten to one numbering keyed by
// test file and name. Where a test file's source differs between reports (it changed between group runs), the
// current file's version is kept and the other reports' mutants that name a test of that file are dropped: they are
// tested again.
const reports = baseline ? [{ r: baseline, files: null }] : [];
for (const g of Object.keys(GROUPS)) if (existsSync(incrementalOf(g))) reports.push({ r: readJson(incrementalOf(g)), files: filesOf(g) });
const sources = new Map(); // test file → its current text (null when gone), read once
const current = (f) => {
  if (!sources.has(f)) sources.set(f, existsSync(f) ? readFileSync(f, 'utf8') : null);
  return sources.get(f);
};
const testFiles = {}; // test file → the entry kept (the current source's where a report has it, else the latest)
for (const { r } of reports)
  for (const [f, t] of Object.entries(r.testFiles ?? {})) if (!testFiles[f] || testFiles[f].source !== current(f) || t.source === current(f)) testFiles[f] = t;
const ids = new Map(); // "file\0name" → new id
const merged = { files: {}, testFiles: {} };
for (const [f, t] of Object.entries(testFiles))
  merged.testFiles[f] = {
    ...t,
    tests: t.tests.map((x) => {
      const id = String(ids.size);
      ids.set(`${f}\0${x.name}`, id);
      return { ...x, id };
    }),
  };
for (const { r, files } of reports) {
  for (const k of ['schemaVersion', 'thresholds', 'projectRoot']) merged[k] ??= r[k];
  const key = new Map(); // this report's id → new id, or null where its test file's source is not the one kept
  for (const [f, t] of Object.entries(r.testFiles ?? {})) for (const x of t.tests) key.set(x.id, t.source === testFiles[f].source ? (ids.get(`${f}\0${x.name}`) ?? null) : null);
  const remap = (a) => (a ? a.map((id) => key.get(id) ?? null) : a);
  for (const [f, entry] of Object.entries(r.files)) {
    if (files && !files.includes(f)) continue; // a group owns only its own modules
    const mutants = entry.mutants
      .map((m) => ({ ...m, killedBy: remap(m.killedBy), coveredBy: remap(m.coveredBy) }))
      .filter((m) => !(m.killedBy ?? []).includes(null) && !(m.coveredBy ?? []).includes(null))
      .map(({ killedBy, coveredBy, ...m }) => ({ ...m, ...(killedBy ? { killedBy } : {}), ...(coveredBy ? { coveredBy } : {}) }));
    merged.files[f] = { ...entry, mutants };
  }
}
mkdirSync('mutation', { recursive: true });
writeJsonGz(BASELINE, merged);
// a group is still to run while any of its files has no results (an interrupted group leaves only its seed copy)
const pending = groupsMissingIn(merged.files);
if (pending.length) {
  console.log(`mutation: groups still to run: ${pending.join(', ')} (baseline ${BASELINE} updated; no report yet)`);
  process.exit(0);
}
// The report: an incremental run over every module from the merged results (a dry run; no mutant is tested again
// unless its code or covering tests changed since its group ran).
if (base.incrementalFile !== INCREMENTAL) throw new Error(`${CONFIG}: incrementalFile must be ${INCREMENTAL}`);
writeFileSync(INCREMENTAL, JSON.stringify(merged));
stryker(CONFIG);
writeJsonGz(BASELINE, readJson(INCREMENTAL));
console.log(`mutation: report in reports/mutation/mutation.json and mutation.html; baseline ${BASELINE} (commit it)`);
