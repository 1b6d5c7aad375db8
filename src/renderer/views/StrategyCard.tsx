// Pit recommendation for the selected driver and the remaining-race plans with their expected times.
import { useAnalysis, useReplay } from '../stores/index.js';
import { Empty } from './Empty.js';
import { pct, signed } from './format.js';

export function StrategyCard() {
  const rec = useAnalysis((s) => s.recommendation);
  const error = useAnalysis((s) => s.strategyError);
  const info = useReplay((s) => s.info);
  const driver = useReplay((s) => s.selectedDriver);
  const code = info?.drivers.find((d) => d.driver === driver)?.code ?? driver ?? '';
  return (
    <section className="panel strategy" aria-label="Strategy">
      <header>
        <h2>Strategy {code ? <small>{code}</small> : null}</h2>
      </header>
      {rec ? (
        <div
          className="rec"
          data-testid="pit-recommendation"
          data-action={rec.action}
          data-driver={rec.driver}
        >
          <div className={`headline ${rec.action === 'stay' ? 'stay' : 'box'}`}>{rec.headline}</div>
          <div className="rec-figures num">
            <span>gain {signed(rec.gain)} s</span>
            <span>
              P{rec.positionFrom} → P{rec.positionTo}
            </span>
            <span>{pct(rec.probability)}</span>
          </div>
          <table className="plans">
            <tbody>
              {rec.plans.slice(0, 3).map((p) => (
                <tr key={p.label}>
                  <td>{p.label}</td>
                  <td className="num">{p.expectedTime.toFixed(1)} s</td>
                  <td className="num">{p.deltaToBest === 0 ? 'best' : signed(p.deltaToBest)}</td>
                  <td className="num">P{p.expectedPosition.toFixed(0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div data-testid="pit-recommendation-empty">
          <Empty
            title={error ? 'Strategy engine unavailable' : info ? 'No recommendation yet' : 'No race open'}
            detail={
              error ??
              (info ? 'Recommendations appear once the replay runs and the strategy engine answers.' : null)
            }
          />
        </div>
      )}
    </section>
  );
}
