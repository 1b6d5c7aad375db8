// Generated Markdown model card: intended use, data, metrics vs baselines, feature importance, limitations.
import type { FeatureImportance } from '../../shared/domain.js';
import type { Evaluation, Lineage, ModelCardText, Trained } from './kind.js';

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(4);

export function modelCard(a: {
  name: string;
  summary: string;
  text: ModelCardText;
  lineage: Lineage;
  evaluation: Evaluation;
  trained: Trained;
  primaryMetric: string;
  direction: 'min' | 'max';
  runId: string;
}): string {
  const { lineage: l, evaluation: e } = a;
  const keys = Object.keys(e.metrics);
  const lines = [
    `# Model card: ${a.name} v{{version}}`,
    '',
    a.summary,
    '',
    '## Intended use',
    '',
    a.text.intendedUse,
    '',
    '## Data',
    '',
    a.text.data,
    '',
    `- Training seasons: ${l.trainSeasons[0]}–${l.trainSeasons[1]} (${l.trainRows} rows); test seasons: ${l.testSeasons[0]}–${l.testSeasons[1]} (${l.testRows} rows).`,
    `- Feature views: ${l.featureViews.length ? l.featureViews.map((v) => `${v.name}@v${v.version}`).join(', ') : '(computed by the model kind)'}`,
    `- Training run: \`${a.runId}\``,
    '',
    '## Metrics (test seasons) vs baselines',
    '',
    `Primary metric: **${a.primaryMetric}** (${a.direction === 'min' ? 'lower' : 'higher'} is better).`,
    '',
    `| model | ${keys.join(' | ')} |`,
    `|---|${keys.map(() => '---:').join('|')}|`,
    `| **this model** | ${keys.map((k) => fmt(e.metrics[k])).join(' | ')} |`,
    ...Object.entries(e.baselines).map(([b, m]) => `| ${b} | ${keys.map((k) => fmt(m[k])).join(' | ')} |`),
    '',
    ...(e.notes?.length ? [...e.notes.map((n) => `- ${n}`), ''] : []),
    '## Parameters',
    '',
    ...Object.entries(a.trained.params).map(([k, v]) => `- ${k}: ${String(v)}`),
    '',
    '## Feature importance',
    '',
    importanceTable(e.importance ?? []),
    '',
    '## Limitations',
    '',
    ...a.text.limitations.map((t) => `- ${t}`),
    '',
  ];
  return lines.join('\n');
}

function importanceTable(imp: FeatureImportance[]): string {
  if (!imp.length) return '(not computed)';
  const total = imp.reduce((s, f) => s + f.gain, 0) || 1;
  return [
    'Gain: share of the total split gain. Permutation: increase of the test loss when the feature is shuffled within each race.',
    '',
    '| feature | gain share | permutation Δ |',
    '|---|---:|---:|',
    ...[...imp]
      .sort((x, y) => y.gain - x.gain || (y.permutation ?? 0) - (x.permutation ?? 0))
      .map(
        (f) =>
          `| ${f.feature} | ${(f.gain / total).toFixed(3)} | ${f.permutation === undefined ? '–' : f.permutation.toFixed(4)} |`,
      ),
  ].join('\n');
}
