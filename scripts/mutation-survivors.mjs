// Lists the surviving and uncovered mutants of the last `npm run test:mutation` (reports/mutation/mutation.json), by
// file and line, with the score as the acceptance computes it: killed (incl. timeout) ÷ (killed + survived + no coverage).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));
let killed = 0;
let survived = 0;
let uncovered = 0;
for (const [path, file] of Object.entries(report.files)) {
  const lines = file.source.split('\n');
  const rows = [];
  let k = 0;
  for (const m of file.mutants) {
    if (m.status === 'Killed' || m.status === 'Timeout') k++;
    else if (m.status === 'Survived' || m.status === 'NoCoverage') {
      const line = m.location.start.line;
      const code = (lines[line - 1] ?? '').trim().slice(0, 90);
      rows.push(
        `  ${m.status === 'NoCoverage' ? 'NC' : 'S '} :${line} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '').slice(0, 60)}   | ${code}`,
      );
      if (m.status === 'Survived') survived++;
      else uncovered++;
    }
  }
  killed += k;
  const n = file.mutants.filter((m) =>
    ['Killed', 'Timeout', 'Survived', 'NoCoverage'].includes(m.status),
  ).length;
  console.log(`${relative(process.cwd(), path)}: ${k}/${n} killed`);
  for (const r of rows.sort((a, b) => Number(/:(\d+)/.exec(a)[1]) - Number(/:(\d+)/.exec(b)[1])))
    console.log(r);
}
const score = (100 * killed) / Math.max(1, killed + survived + uncovered);
console.log(`score ${score.toFixed(1)} % (${killed} killed, ${survived} survived, ${uncovered} no coverage)`);
