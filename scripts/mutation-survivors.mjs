// Lists the surviving and uncovered mutants of the last `npm run test:mutation` (reports/mutation/mutation.json), by
// file and line, with the score as the acceptance computes it: killed (incl. timeout) ÷ (killed + survived + no coverage),
// and why each is left: an equivalent mutant found by hand (EQUIVALENT below), wording of a log line or an error
// message, or open (no test states it yet).
//   node scripts/mutation-survivors.mjs [report]            every survivor, one per line
//   node scripts/mutation-survivors.mjs [report] --readme   rewrites README.md's survivors section (between markers)
// (report: a Stryker JSON report or incremental file, plain or .gz such as the baseline mutation/stryker-incremental.json.gz)
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readJson } from './json-gz.mjs';

const args = process.argv.slice(2);
const readme = args.includes('--readme');
const report = readJson(args.find((a) => !a.startsWith('--')) ?? 'reports/mutation/mutation.json');

/** Survivors checked by hand and found equivalent (no observable change): module, the mutated code, mutators, why,
 *  and where needed the line the code is on. */
const EQUIVALENT = [
  ['commentary/pipeline.ts', /^this\.generation\+\+$/, 'UpdateOperator', 'only "the generation differs" matters'],
  ['commentary/pipeline.ts', /^''$/, 'StringLiteral', 'another constant for a missing driver keeps the duplicate keys distinct', /^const key = /],
  ['commentary/pipeline.ts', /^(primary|primary\.name === 'claude')$/, 'ConditionalExpression', 'the breaker time is set only on the Claude path (0 otherwise)', /breakerUntil/],
  ['commentary/session.ts', /^'auto'$/, 'StringLiteral', 'any mode but "offline" is auto'],
  ['commentary/validator.ts', /^\/\(\?<=\[\.!\?;\]\)\\s\+\/$/, 'Regex', 'a sentence with a leading space: no pattern is anchored'],
  ['commentary/validator.ts', /^typeof v === 'number' && Number\.isFinite\(v\)$/, 'LogicalOperator', 'a non-finite number never equals a claim'],
  ['commentary/validator.ts', /^\[\]$/, 'ArrayDeclaration', 'a string among the numbers never equals a number claimed', /numbersIn\(f, \[\]\)/],
  ['commentary/validator.ts', /^typeof e\.details\[k\] === 'string'$/, null, 'a non-string in the set never equals a compound claimed'],
  ['commentary/pipeline.ts', /^id === undefined$/, null, 'falls through to the same slice'],
  ['commentary/session.ts', /^log\.length > LOG_MAX$/, null, 'a zero count removes nothing'],
  ['commentary/validator.ts', /^typeof v === '(number|string)'$/, null, 'a non-number never equals a claim'],
  ['commentary/validator.ts', /^Array\.isArray\(v\)$/, null, 'the same elements through the object branch'],
  ['models/gbdt/train.ts', /^i === 0$/, null, 'group[-1] is undefined at a group start'],
  ['models/gbdt/train.ts', /^rand\(\) < /, 'EqualityOperator', 'a draw exactly at the fraction'],
  ['models/gbdt/train.ts', /^(n < )?2 \* p\.minDataInLeaf$/, null, 'a shortcut: the check on each side (minDataInLeaf) refuses the same splits'],
  ['models/gbdt/train.ts', /^(s\.lC <= leaf\.n - s\.lC|leaf\.n - s\.lC)$/, null, 'which child’s histogram is built and which is parent − built: the same histograms', /^const smallLeft = /],
  ['models/gbdt/train.ts', /^!fresh$/, null, 'recomputes gradients the kernel already wrote: the same values'],
  ['models/gbdt/train.ts', /^(it \+ 1 < p\.numRounds|it \+ 1|residual && nBag === rows && it \+ 1 < p\.numRounds)$/, null, 'whether the last round also computes gradients for a round that never comes, or the general path is taken: the same trees', /^fresh = /],
  ['models/gbdt/train.ts', /^\(p\.objective === 'regression' \|\| p\.objective === 'huber'\) && !train\.weight$|^p\.objective === 'regression' && !train\.weight$|^p\.objective === '(regression|huber)'$|^'(regression|huber)'$/, 'ConditionalExpression|StringLiteral|LogicalOperator', 'a fast path off (unit hessians, the residual kernel): the general path gives the same trees'],
  ['models/gbdt/train.ts', /^(i < rows|r < rows|r < valid\.rows|i < ph\.length)$/, 'EqualityOperator', 'one step past the end of a typed array: reads undefined, the write is dropped'],
  ['strategy/recommend.ts', /^byRace\.size > 4$|^4$|^byRace\.delete\(byRace\.keys\(\)\.next\(\)\.value!\)$/, null, 'the race-model cache’s eviction: performance only', /byRace\.size > 4/],
  ['commentary/session.ts', /^'commentary(:log|:checker)?'$/, 'StringLiteral', 'service and session keys are looked up by identity, not by name'],
  ['strategy/recommend.ts', /^p10 <= 0$/, 'EqualityOperator', 'needs a p10 of exactly 0 s'],
  ['strategy/recommend.ts', /^fieldOnWet >= WET_FIELD$/, 'EqualityOperator', 'no lap has exactly half the field on wets'],
  ['strategy/recommend.ts', /^!s\.retired\[i\]$/, null, 'retired cars are out of the simulation whatever their plan'],
  ['features/historical.ts', /^r\[1\] < minTs$/, 'EqualityOperator', 'an equal timestamp is the same minimum'],
  ['features/historical.ts', /^!c$/, null, 'the column cache off: the same values read again'],
  ['features/historical.ts', /^p >= r\[0\]$/, 'ConditionalExpression', 'walking past the entity’s first row ends at −1 either way'],
  ['features/historical.ts', /^i < rows\.length$/, 'EqualityOperator', 'one step past the end of a typed array: reads undefined, the write is dropped', /^for \(let i = 0; i < rows\.length; i\+\+\) \{$/],
  ['features/historical.ts', /^keys\.length === 1$/, 'ConditionalExpression', 'the composite path joins a single key to the same string'],
  ['data/importer.ts', /^cols\.filter\(\(c\) => !KEY\.includes\(c\)\)$/, null, 'the key columns also "updated" to their own values on a conflict'],
  ['data/importer.ts', /^ms < best$/, 'EqualityOperator', 'an equal time is the same best'],
  ['data/importer.ts', /^groups\.length === 0$/, null, 'an early return: the loop over no groups does nothing'],
  ['data/importer.ts', /^!list$/, null, 'the per-race entrant cache off: the same list read again'],
  ['data/importer.ts', /race_id IS NULL/, null, 'a fresh link writes the same ids'],
  ['server/server.ts', /^\{ role: 'engineer' \}$/, 'ObjectLiteral', 'no role given: dispatch defaults to engineer'],
  ['server/server.ts', /^reason$/, 'ConditionalExpression', 'a refusal counted under no reason is never reported', /^if \(reason\) refuse/],
  ['server/server.ts', /^'\/'$/, 'StringLiteral', 'an HTTP upgrade request always has a URL', /req\.url \?\? '\/'/],
  ['server/server.ts', /^ws\.readyState === ws\.OPEN$/, null, 'ws drops a send on a closing socket anyway'],
  ['server/server.ts', /^typeof addr === 'object'( && addr)?$/, null, 'a TCP server’s address is always an object'],
  ['server/server.ts', /^\(\) => ws\.terminate\(\)$/, null, 'a listener stays attached and ws destroys the socket itself'],
];
const isLog = (code) => /\blog\??\.?\(|console\.|onProgress|progress\?\.\(|\bwarn\(/.test(code);
const isMessage = (code, m) => ['StringLiteral', 'TemplateLiteral'].includes(m.mutatorName) && /Error\(|throw |message|detail|expected:/.test(code);

function why(file, code, original, m) {
  for (const [f, re, mut, reason, onLine] of EQUIVALENT)
    if (file.endsWith(f) && re.test(original) && (!mut || mut.split('|').includes(m.mutatorName)) && (!onLine || onLine.test(code))) return `equivalent: ${reason}`;
  if (isLog(code)) return 'log text';
  if (isMessage(code, m)) return 'message wording';
  return 'open';
}

let killed = 0;
let survived = 0;
let uncovered = 0;
const modules = [];
for (const [path, file] of Object.entries(report.files)) {
  const lines = file.source.split('\n');
  const rows = [];
  let k = 0;
  for (const m of file.mutants) {
    if (m.status === 'Killed' || m.status === 'Timeout') k++;
    else if (m.status === 'Survived' || m.status === 'NoCoverage') {
      const { start, end } = m.location; // 1-based lines and columns
      const line = start.line;
      const code = (lines[line - 1] ?? '').trim();
      const original = lines.slice(start.line - 1, end.line).join('\n').slice(start.column - 1, start.line === end.line ? end.column - 1 : undefined).trim();
      rows.push({ line, status: m.status, mutator: m.mutatorName, replacement: m.replacement ?? '', code, why: why(path, code, original, m) });
      if (m.status === 'Survived') survived++;
      else uncovered++;
    }
  }
  killed += k;
  rows.sort((a, b) => a.line - b.line);
  modules.push({ path: relative(process.cwd(), path), killed: k, n: k + rows.length, rows });
}
const score = (100 * killed) / Math.max(1, killed + survived + uncovered);
const total = `score ${score.toFixed(1)} % (${killed} killed, ${survived} survived, ${uncovered} no coverage)`;

if (!readme) {
  for (const mod of modules) {
    console.log(`${mod.path}: ${mod.killed}/${mod.n} killed`);
    for (const r of mod.rows)
      console.log(`  ${r.status === 'NoCoverage' ? 'NC' : 'S '} :${r.line} ${r.mutator} → ${JSON.stringify(r.replacement).slice(0, 60)}   | ${r.code.slice(0, 90)}   [${r.why}]`);
  }
  console.log(total);
} else {
  const pct = (k, n) => `${k}/${n} (${((100 * k) / Math.max(1, n)).toFixed(1)} %)`;
  const sorted = modules.sort((a, b) => a.path.localeCompare(b.path));
  const count = (mod, st) => mod.rows.filter((r) => r.status === st).length;
  const out = [
    '| module | killed (incl. timeout) ÷ killed + survived + no coverage | survived | no coverage |',
    '|---|---:|---:|---:|',
    ...sorted.map((mod) => `| \`${mod.path.replace(/^src\/main\//, '')}\` | ${pct(mod.killed, mod.n)} | ${count(mod, 'Survived')} | ${count(mod, 'NoCoverage')} |`),
    `| **all ${sorted.length} modules** | **${pct(killed, killed + survived + uncovered)}** | ${survived} | ${uncovered} |`,
    '',
    'Survivors by module and reason, as line numbers (NC: no test covers it; `node scripts/mutation-survivors.mjs` shows each mutant). ' +
      '*equivalent*: checked by hand, no observable change (the reason given); *log text* and *message wording*: the tests match the error code and the field a message names, not every word; ' +
      '*open*: no test states that behaviour yet — accepted for this round (the score is over the bar) and left as targets for the next tests.',
    '',
  ];
  for (const mod of sorted) {
    const by = new Map();
    for (const r of mod.rows) by.set(r.why, [...(by.get(r.why) ?? []), `${r.line}${r.status === 'NoCoverage' ? ' NC' : ''}`]);
    const parts = [...by.entries()].sort(([a], [b]) => (a === 'open') - (b === 'open') || a.localeCompare(b)).map(([w, ls]) => `${w} (${ls.length}): ${[...new Set(ls)].join(', ')}`);
    out.push(`- \`${mod.path.replace(/^src\/main\//, '')}\` — ${parts.join('; ') || 'none'}`);
  }
  const text = readFileSync('README.md', 'utf8');
  const [a, b] = ['<!-- survivors:start -->', '<!-- survivors:end -->'];
  if (!text.includes(a) || !text.includes(b)) throw new Error(`README.md: markers ${a} … ${b} not found`);
  writeFileSync('README.md', text.slice(0, text.indexOf(a) + a.length) + '\n' + out.join('\n') + '\n' + text.slice(text.indexOf(b)));
  console.log(`README.md survivors section rewritten; ${total}`);
}
