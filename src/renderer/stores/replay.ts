// Race selection and replay state: seasons, races, the open replay, its latest timing snapshot.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { RaceEvent, RaceResults, RaceSummary, ReplayInfo, TimingSnapshot, WinnerPrediction } from '../../shared/domain.js';
import type { ConnectionState } from '../api/transport.js';
import type { DeepLink } from '../deeplink.js';
import { errorText, frameScheduler, latestPerFrame, type Scheduler } from './schedule.js';

export const SPEEDS = [1, 2, 5, 20, 100] as const;
export type LoadState = 'loading' | 'ready' | 'error';

export interface ReplayState {
  boot: LoadState;
  /** The engine connection (always 'open' over IPC). */
  connection: ConnectionState;
  seasons: number[];
  races: RaceSummary[];
  season: number | null;
  round: number | null;
  info: ReplayInfo | null;
  /** The open race's classification (every race has one; a race without lap data has only this). */
  results: RaceResults | null;
  /** Why the race opened to its results only, in words a user can act on. */
  notice: string | null;
  /** The race-winner model's odds for a race opened to its results only (null: none asked or no model). */
  winner: WinnerPrediction[] | null;
  snapshot: TimingSnapshot | null;
  opening: boolean;
  playing: boolean;
  speed: number;
  error: string | null;
  events: RaceEvent[];
  selectedDriver: string | null;

  init(link: DeepLink): Promise<void>;
  selectSeason(season: number): Promise<void>;
  openRace(
    season: number,
    round: number,
    opts?: { speed?: number; play?: boolean; lap?: number },
  ): Promise<void>;
  togglePlay(): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  setSpeed(speed: number): Promise<void>;
  seek(lap: number): Promise<void>;
  step(delta: number): Promise<void>;
  selectDriver(driver: string): void;
  /** Every snapshot (pushed, or answered by open/seek) goes through one latest-per-frame slot, so an older push
   * can never overwrite a newer seek result, and a burst of pushes renders once. */
  receiveSnapshot(s: TimingSnapshot): void;
  applySnapshot(s: TimingSnapshot): void;
  addEvent(e: RaceEvent): void;
}

const MAX_EVENTS = 50;

export function createReplayStore(api: PitwallClient, schedule: Scheduler = frameScheduler) {
  return createStore<ReplayState>()((set, get) => {
    const enqueue = latestPerFrame<TimingSnapshot>((s) => get().applySnapshot(s), schedule);
    /** Runs a replay call; a failure becomes the visible error instead of an unhandled rejection. */
    const attempt = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (e) {
        set({ error: errorText(e) });
        return undefined;
      }
    };
    const ok = async (fn: () => Promise<unknown>): Promise<boolean> => {
      try {
        await fn();
        return true;
      } catch (e) {
        set({ error: errorText(e) });
        return false;
      }
    };
    return {
      boot: 'loading',
      connection: 'connecting',
      seasons: [],
      races: [],
      season: null,
      round: null,
      info: null,
      results: null,
      notice: null,
      winner: null,
      snapshot: null,
      opening: false,
      playing: false,
      speed: 1,
      error: null,
      events: [],
      selectedDriver: null,

      async init(link) {
        try {
          const deep = link.season !== undefined && link.round !== undefined;
          // A deep link opens its race while the picker's lists load (the start-up path is what users wait for).
          const lists = (async () => {
            const seasons = await api.listSeasons();
            set({ seasons });
            const season = link.season ?? seasons[0] ?? null;
            if (season !== null && get().races[0]?.season !== season) await get().selectSeason(season);
          })();
          if (deep) {
            await Promise.all([
              lists,
              get().openRace(link.season!, link.round!, {
                speed: link.speed,
                play: link.play,
                lap: link.lap,
              }),
            ]);
            set({ boot: get().info || get().results?.hasLaps === false ? 'ready' : 'error' });
          } else {
            await lists;
            set({ boot: 'ready' });
          }
        } catch (e) {
          set({ boot: 'error', error: errorText(e) });
        }
      },

      async selectSeason(season) {
        // The race select shows the open race only within its own season.
        const info = get().info;
        set({
          season,
          races: [],
          round: info?.season === season ? info.round : get().opening ? get().round : null,
        });
        const races = await attempt(() => api.listRaces({ season }));
        if (races && get().season === season) set({ races });
      },

      async openRace(season, round, opts = {}) {
        // reopening the same race (after a reconnect) keeps the driver the user follows
        const keep = get().season === season && get().round === round ? get().selectedDriver : null;
        set({
          opening: true,
          error: null,
          info: null,
          results: null,
          notice: null,
          winner: null,
          snapshot: null,
          events: [],
          season,
          round,
          selectedDriver: keep,
        });
        const results = api.raceResults({ season, round }).then(
          (r) => (get().season === season && get().round === round ? set({ results: r }) : undefined),
          () => undefined, // the replay's own error says what is wrong
        );
        let openError: unknown = null;
        const info = await api.replayOpen({ season, round }).catch((e: unknown) => ((openError = e), null));
        if (!info) {
          await results;
          // a race without lap data opens to its classification; a replay that fails otherwise is an error
          if (get().results?.hasLaps === false) {
            set({ opening: false, notice: errorText(openError) });
            // ... and to the winner model's odds for it (a failure leaves the classification on its own)
            const winner = await api.predictWinner({ season, round }).catch(() => null);
            if (get().season === season && get().round === round && !get().info) set({ winner: winner?.length ? winner : null });
          } else set({ opening: false, error: errorText(openError) });
          return;
        }
        set({ info });
        if (opts.speed) await get().setSpeed(opts.speed);
        const snap = opts.lap
          ? await attempt(() => api.replaySeek({ lap: opts.lap! }))
          : await attempt(() => api.replaySnapshot());
        if (snap) get().receiveSnapshot(snap);
        if (opts.play) await get().play();
        set({
          opening: false,
          selectedDriver: get().selectedDriver ?? snap?.rows[0]?.driver ?? info.drivers[0]?.driver ?? null,
        });
      },

      async togglePlay() {
        await (get().playing ? get().pause() : get().play());
      },
      async play() {
        if (!get().info) return;
        set({ playing: true });
        if (!(await ok(() => api.replayPlay()))) set({ playing: false });
      },
      async pause() {
        if (!get().info) return;
        set({ playing: false });
        await ok(() => api.replayPause());
      },
      async setSpeed(speed) {
        const s = Math.min(100, Math.max(1, Math.round(speed)));
        set({ speed: s });
        if (get().info) await ok(() => api.replaySetSpeed({ speed: s }));
      },
      async seek(lap) {
        const info = get().info;
        if (!info) return;
        const l = Math.min(info.totalLaps, Math.max(1, Math.round(lap)));
        const snap = await attempt(() => api.replaySeek({ lap: l }));
        if (snap) get().receiveSnapshot(snap);
      },
      async step(delta) {
        const cur = get().snapshot?.lap ?? 0;
        await get().seek(cur + delta);
      },
      selectDriver(driver) {
        set({ selectedDriver: driver });
      },
      receiveSnapshot(s) {
        enqueue(s);
      },
      applySnapshot(s) {
        const info = get().info;
        if (!info || s.season !== info.season || s.round !== info.round) return; // a push from a race we left
        const back = s.lap < (get().snapshot?.lap ?? 0); // seeking back: forget events still to come
        set({
          snapshot: s,
          playing: s.playing,
          speed: s.speed,
          selectedDriver: get().selectedDriver ?? s.rows[0]?.driver ?? null,
          ...(back ? { events: get().events.filter((e) => e.lap <= s.lap) } : {}),
        });
      },
      addEvent(e) {
        set({ events: [e, ...get().events].slice(0, MAX_EVENTS) });
      },
    };
  });
}
export type ReplayStore = ReturnType<typeof createReplayStore>;
