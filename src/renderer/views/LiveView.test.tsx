// @vitest-environment happy-dom
// The Live screen over a scripted client: pushes move the tower, sectors and mini-sectors take their colours, the
// banner follows the track status, the header shows the connection and the delay, and the delay goes to the engine.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveRow, LiveStatus, LiveTower } from '../../shared/live.js';
import { createStores, StoresContext } from '../stores/index.js';
import { fakeClient, immediate } from '../testing/fake-client.js';
import { LiveBadge, LiveView } from './LiveView.js';

afterEach(cleanup);

const sector = (time: number | null, flag: LiveRow['sectors'][number]['flag'] = null): LiveRow['sectors'][number] => ({ time, flag, segments: ['personal', 'overall', 'slower', 'none'] });
function row(i: number, code: string, extra: Partial<LiveRow> = {}): LiveRow {
  const none = { kmh: null, flag: null };
  return {
    position: i + 1, driverNumber: i + 1, code, team: 'Team', teamColor: '3671C6', laps: 10, gapToLeader: i === 0 ? null : i * 1.5, interval: i === 0 ? null : 1.5,
    trend: i === 1 ? 'catching' : null, lastLap: 95.1, lastLapFlag: i === 0 ? 'overall' : null, bestLap: 94.8,
    sectors: [sector(30.1, i === 0 ? 'overall' : 'personal'), sector(40.2), sector(null)], speeds: { i1: none, i2: none, fl: none, st: { kmh: 320, flag: null } },
    inPit: false, pitOut: false, pitStops: 1, compound: 'HARD', tyreAge: 7, newTyre: false, retired: false, stopped: false, ...extra,
  };
}
function tower(seq: number, extra: Partial<LiveTower> = {}): LiveTower {
  return {
    at: '2024-03-02T15:00:00.000Z', offsetMs: 3_600_000, seq, session: { name: 'Race', type: 'Race', meeting: 'Bahrain Grand Prix', key: 1 },
    lap: 10, totalLaps: 57, trackStatus: { code: '1', state: 'green', message: 'AllClear' }, clock: { remainingS: 3600, elapsedS: 3600, running: true },
    weather: { airTemp: 18.5, trackTemp: 25.1, humidity: 45, windSpeed: 1, rain: false },
    raceControl: [{ utc: '2024-03-02T14:59:00Z', lap: 9, category: 'Flag', flag: 'YELLOW', message: 'YELLOW IN TRACK SECTOR 4' }],
    rows: [row(0, 'VER'), row(1, 'LEC'), row(2, 'RUS', { gapToLeader: '+1 LAP', inPit: true })], ...extra,
  };
}
const status = (s: Partial<LiveStatus> = {}): LiveStatus => ({ connection: 'live', source: 'f1', detail: null, delayS: 0, messages: 10, skipped: 0, ...s });

function mount() {
  let delay = 0;
  const tokens = { f1LiveToken: false, openf1Token: true };
  const client = fakeClient({
    liveSubscribe: () => status(),
    liveSetDelay: ({ seconds }: { seconds: number }) => status({ delayS: (delay = seconds) }),
    liveLaps: () => [],
    liveForecast: () => null,
    liveTokens: () => ({ ...tokens }),
    liveSetToken: ({ name, value }: { name: 'f1LiveToken' | 'openf1Token'; value: string }) => ((tokens[name] = value !== ''), { ...tokens }),
    liveRejoin: ({ driverNumber }: { driverNumber: number }) =>
      driverNumber !== 1 ? null : {
        season: 2024, round: 1, driver: 'VER', lap: 11, position: 2, probabilities: { '1': 0.3, '2': 0.7 }, gapAhead: 1.8, gapBehind: 3.2, carAhead: 'LEC', carBehind: 'RUS',
        gapAheadRange: null, gapBehindRange: null, pitLoss: { p10: 21.5, p50: 22.4, p90: 23.9 }, current: 1,
        threats: [{ rival: 'LEC', side: 'behind', gap: 1.5, freshGain: 1.2, probability: 0.64, flag: 'undercut' }],
      },
  });
  const stores = createStores(client, { schedule: immediate });
  render(
    <StoresContext.Provider value={stores}>
      <LiveBadge />
      <LiveView />
    </StoresContext.Provider>,
  );
  return { client, stores, delay: () => delay };
}

describe('the Live screen', () => {
  it('shows each pushed tower: rows, gaps, "+1 LAP", colours, mini-sectors, tyres, pit, banner, race control', async () => {
    const { client } = mount();
    await waitFor(() => expect(client.calls.some((c) => c.method === 'liveSubscribe')).toBe(true));
    expect(screen.getByText('No live feed')).toBeTruthy();
    act(() => client.emit('live:tower', tower(1)));
    const rows = screen.getAllByTestId('live-row');
    expect(rows.map((r) => r.getAttribute('data-driver'))).toEqual(['VER', 'LEC', 'RUS']);
    expect(rows[0]!.querySelector('.c-gap')!.textContent).toBe('LEADER');
    expect(rows[1]!.querySelector('.c-gap')!.textContent).toBe('+1.500');
    expect(rows[1]!.querySelector('.c-int')!.textContent).toBe('+1.500 ▲');
    expect(rows[2]!.querySelector('.c-gap')!.textContent).toBe('+1 LAP');
    expect(rows[2]!.querySelector('.c-pit')!.textContent).toBe('PIT');
    expect(rows[0]!.querySelector('.c-last')!.className).toContain('purple');
    expect(rows[0]!.querySelector('.c-sec .purple')!.textContent).toBe('30.100');
    expect(rows[1]!.querySelector('.c-sec .green')!.textContent).toBe('30.100');
    expect([...rows[0]!.querySelectorAll('.segs')[0]!.children].map((i) => i.className)).toEqual(['seg-green', 'seg-purple', 'seg-yellow', 'seg-none']);
    expect(rows[0]!.querySelector('.c-tyre')!.textContent).toBe('H7u');
    expect(screen.getByTestId('live-lap').textContent).toBe('Lap 10/57');
    expect(screen.getByTestId('live-clock').textContent).toBe('1:00:00 left');
    expect(screen.getByTestId('rc-message').textContent).toContain('YELLOW IN TRACK SECTOR 4');
    expect(screen.getByTestId('live-banner').getAttribute('data-state')).toBe('green');
    act(() => client.emit('live:tower', tower(2, { trackStatus: { code: '4', state: 'sc', message: 'SCDeployed' }, rows: [row(0, 'LEC'), row(1, 'VER')] })));
    expect(screen.getByTestId('live-banner').getAttribute('data-state')).toBe('sc');
    expect(screen.getByTestId('live-tower').getAttribute('data-seq')).toBe('2');
    expect(screen.getAllByTestId('live-row').map((r) => r.getAttribute('data-driver'))).toEqual(['LEC', 'VER']);
  });

  it('shows "if boxed now" for the selected car: its rejoin and the undercut threat, asked of the engine for that car', async () => {
    const { client } = mount();
    await waitFor(() => expect(client.calls.some((c) => c.method === 'liveSubscribe')).toBe(true));
    act(() => client.emit('live:tower', tower(1)));
    expect(screen.queryByTestId('live-rejoin')).toBeNull();
    fireEvent.click(screen.getAllByTestId('live-row')[0]!);
    await waitFor(() => expect(screen.getByTestId('live-rejoin').getAttribute('data-position')).toBe('2'));
    expect(client.calls.filter((c) => c.method === 'liveRejoin').map((c) => c.args)).toContainEqual({ driverNumber: 1 });
    const panel = screen.getByTestId('live-rejoin');
    expect(panel.textContent).toContain('If VER boxes at the end of lap 11');
    expect(panel.textContent).toContain('Box now → P2, 1.8 s behind LEC (P1 30 %, P2 70 %)');
    expect(screen.getByTestId('live-threat').textContent).toContain('Undercut threat from LEC: 64 %');
    fireEvent.click(screen.getAllByTestId('live-row')[1]!); // LEC: no answer
    await waitFor(() => expect(screen.queryByTestId('live-rejoin')).toBeNull());
  });

  it('the tokens dialog sends a token once, clears the field and shows only whether each is set', async () => {
    const { client } = mount();
    fireEvent.click(screen.getByText('Tokens…'));
    await waitFor(() => expect(screen.getByTestId('token-openf1Token').getAttribute('data-set')).toBe('true'));
    const f1 = screen.getByTestId('token-f1LiveToken');
    expect(f1.getAttribute('data-set')).toBe('false');
    const input = f1.querySelector('input')!;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'my-f1tv-token-value' } });
    fireEvent.click(f1.querySelector('button')!);
    await waitFor(() => expect(screen.getByTestId('token-f1LiveToken').getAttribute('data-set')).toBe('true'));
    expect(client.calls.filter((c) => c.method === 'liveSetToken').map((c) => c.args)).toEqual([{ name: 'f1LiveToken', value: 'my-f1tv-token-value' }]);
    expect((screen.getByTestId('token-f1LiveToken').querySelector('input') as HTMLInputElement).value).toBe('');
    expect(screen.getByTestId('live-tokens').textContent).not.toContain('my-f1tv-token-value');
  });

  it('shows the connection and the delay in the header, and sends the delay to the engine', async () => {
    const { client, delay } = mount();
    await waitFor(() => expect(screen.getByTestId('live-badge').textContent).toBe('LIVE'));
    act(() => client.emit('live:status', status({ connection: 'reconnecting' })));
    expect(screen.getByTestId('live-badge').textContent).toBe('Reconnecting…');
    const input = screen.getByTestId('live-delay');
    fireEvent.change(input, { target: { value: '30' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(delay()).toBe(30));
    act(() => client.emit('live:status', status({ connection: 'recording', delayS: 30 })));
    expect(screen.getByTestId('live-badge').textContent).toBe('Recording · delayed by 30 s');
    fireEvent.change(input, { target: { value: '500' } });
    fireEvent.blur(input);
    await waitFor(() => expect(delay()).toBe(120)); // the most the setting allows
  });
});

describe('the live store', () => {
  it('keeps the objects of rows a push did not change (their rows do not re-render)', () => {
    const client = fakeClient({ liveSubscribe: () => status() });
    const stores = createStores(client, { schedule: immediate });
    stores.live.getState().receiveTower(tower(1));
    const a = stores.live.getState().tower!.rows;
    const moved = tower(2);
    moved.rows[1] = { ...moved.rows[1]!, lastLap: 94.0 };
    stores.live.getState().receiveTower(moved);
    const b = stores.live.getState().tower!.rows;
    expect([b[0] === a[0], b[1] === a[1], b[2] === a[2]]).toEqual([true, false, true]);
    expect(b[1]!.lastLap).toBe(94.0);
  });
});
