// The live feeds' tokens, entered once (engineer role): each is sent to the engine's secret store and the field is
// cleared; the dialog only ever learns whether a token is set, never its value.
import { useEffect, useState } from 'react';
import type { LiveTokenName } from '../../shared/live.js';
import { useLive } from '../stores/index.js';

const LABEL: Record<LiveTokenName, string> = {
  f1LiveToken: 'F1 TV subscription token (car data and positions from F1 live timing)',
  openf1Token: 'OpenF1 token (needed during a live session)',
};

export function LiveTokens({ onClose }: { onClose: () => void }) {
  const tokens = useLive((s) => s.tokens);
  const error = useLive((s) => s.tokensError);
  const load = useLive((s) => s.loadTokens);
  const save = useLive((s) => s.setToken);
  const [text, setText] = useState<Record<LiveTokenName, string>>({ f1LiveToken: '', openf1Token: '' });
  useEffect(() => void load(), [load]);
  const store = async (name: LiveTokenName, value: string) => {
    await save(name, value);
    setText((t) => ({ ...t, [name]: '' }));
  };
  return (
    <div className="panel live-tokens" role="dialog" aria-label="Live feed tokens" data-testid="live-tokens">
      <header><h2>Settings: live feed tokens</h2></header>
      {error ? <div className="error" role="alert">{error}</div> : null}
      {(Object.keys(LABEL) as LiveTokenName[]).map((name) => (
        <label key={name} data-testid={`token-${name}`} data-set={tokens ? String(tokens[name]) : ''}>
          {LABEL[name]}: <span className="muted">{tokens === null ? '' : tokens[name] ? 'set' : 'not set'}</span>
          <input type="password" autoComplete="off" value={text[name]} onChange={(e) => setText((t) => ({ ...t, [name]: e.target.value }))} />
          <button disabled={!text[name].trim()} onClick={() => void store(name, text[name])}>Save</button>
          {tokens?.[name] ? <button onClick={() => void store(name, '')}>Remove</button> : null}
        </label>
      ))}
      <button onClick={onClose}>Close</button>
    </div>
  );
}
