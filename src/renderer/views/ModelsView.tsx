// Models: registry with metrics against baselines, runs, feature importance, model card, promotion, drift status.
import { useEffect } from 'react';
import type { ModelSummary } from '../../shared/domain.js';
import { useModels } from '../stores/index.js';
import { Empty } from './Empty.js';
import { Markdown } from './Markdown.js';

const fmt = (v: number | undefined): string =>
  v === undefined ? '—' : Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);

function Metrics({ m }: { m: ModelSummary }) {
  const names = Object.keys(m.metrics);
  const baselines = Object.keys(m.baselines);
  if (names.length === 0) return <span className="muted">no metrics</span>;
  return (
    <table className="metrics">
      <thead>
        <tr>
          <th />
          <th>model</th>
          {baselines.map((b) => (
            <th key={b}>{b}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((n) => (
          <tr key={n}>
            <td>{n}</td>
            <td className="num">{fmt(m.metrics[n])}</td>
            {baselines.map((b) => (
              <td key={b} className="num muted">
                {fmt(m.baselines[b]?.[n])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ModelsView() {
  const s = useModels((x) => x);
  const load = s.load;
  useEffect(() => {
    void load();
  }, [load]);
  const model = s.models.find((m) => m.name === s.selected) ?? null;
  const maxGain = Math.max(1e-9, ...(s.card?.importance.map((f) => f.gain) ?? []));
  return (
    <div className="models-view">
      <section className="panel models-list" aria-label="Models">
        <header>
          <h2>Models</h2>
          <span className={`drift ${s.alerts.length ? 'bad' : 'ok'}`} data-testid="drift-status">
            {s.alerts.length
              ? `${s.alerts.length} drift alert${s.alerts.length > 1 ? 's' : ''}`
              : 'No drift alerts'}
          </span>
        </header>
        {s.models.length === 0 ? (
          <Empty
            title={s.loaded ? 'No models yet' : 'Loading models…'}
            detail={s.error ?? (s.loaded ? 'Train one with `pitwall train`.' : null)}
          />
        ) : (
          <ul className="model-items">
            {s.models.map((m) => (
              <li
                key={`${m.name}@${m.version}`}
                className={m.name === s.selected ? 'on' : ''}
                onClick={() => void s.select(m.name)}
              >
                <b>{m.name}</b> <span className="muted">v{m.version}</span>
                {m.aliases.map((a) => (
                  <span key={a} className="alias">
                    {a}
                  </span>
                ))}
                <Metrics m={m} />
              </li>
            ))}
          </ul>
        )}
        {s.alerts.length ? (
          <ul className="alerts">
            {s.alerts.slice(0, 5).map((a) => (
              <li key={a.id}>
                <b>{a.model}</b> {a.kind}: {a.message}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="panel model-detail" aria-label="Model detail">
        {model ? (
          <>
            <header>
              <h2>
                {model.name} <small>v{model.version}</small>
              </h2>
              <button
                onClick={() => void s.promote(model.name, model.version)}
                disabled={model.aliases.includes('production')}
              >
                {model.aliases.includes('production') ? 'In production' : 'Promote to production'}
              </button>
            </header>
            <div className="detail-grid">
              <div>
                <h3>Feature importance</h3>
                {s.card?.importance.length ? (
                  <ul className="importance">
                    {s.card.importance.slice(0, 12).map((f) => (
                      <li key={f.feature}>
                        <span>{f.feature}</span>
                        <i style={{ width: `${(f.gain / maxGain) * 100}%` }} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty title="No importance recorded" />
                )}
                <h3>Runs</h3>
                {s.runs.length ? (
                  <table className="runs">
                    <tbody>
                      {s.runs.slice(0, 10).map((r) => (
                        <tr key={r.runId}>
                          <td>{r.startedAt.slice(0, 16).replace('T', ' ')}</td>
                          <td>{r.status}</td>
                          <td className="num">
                            {Object.entries(r.metrics)
                              .slice(0, 2)
                              .map(([k, v]) => `${k} ${fmt(v)}`)
                              .join(' · ')}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <Empty title="No runs recorded" />
                )}
              </div>
              <div className="card">
                {s.card?.markdown ? <Markdown source={s.card.markdown} /> : <Empty title="No model card" />}
              </div>
            </div>
          </>
        ) : (
          <Empty title="No model selected" detail={s.error} />
        )}
      </section>
    </div>
  );
}
