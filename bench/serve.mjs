// Benchmark: `pitwall serve` under the garage's load. 50 WebSocket clients on 127.0.0.1, each replaying 2023 Bahrain
// at 100× (its own session; replays restart when they end) for 60 s, plus one API call per client per second.
// Prints one JSON object:
//  callP50Ms / callP99Ms  — call → result round trip (target p99 ≤ 50)
//  pushLagP99Ms           — snapshot produced (its sessionTime on the replay clock) → received, after removing each
//                           replay's constant offset (target p99 ≤ 100)
//  dropped                — clients whose connection ended or whose call went unanswered (target 0)
//  rssStartMb / rssEndMb / rssPeakMb — the server process's resident memory (from its /metrics)
// usage: npm run bench:serve [-- --db FILE --clients 50 --seconds 60]
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { startServe, stopServe } from './serve-child.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dbFile = dbPath(arg('db', process.env.PITWALL_DB));
const CLIENTS = Number(arg('clients', 50));
const SECONDS = Number(arg('seconds', 60));
const SPEED = 100;

openBootstrapped(dbFile).close(); // untimed: a bootstrapped database

const { child, url: listening } = startServe(dbFile);
const url = await listening;

async function rssMb() {
  const text = await (await fetch(`${url}metrics`)).text();
  const m = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
  return m ? Math.round(Number(m[1]) / 1e5) / 10 : NaN;
}

const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const callLat = [];
const byMethod = {}; // method → latencies, for the p99 breakdown
const pushLag = [];
let dropped = 0;
let snapshots = 0;
let stopping = false;

function client(n) {
  return new Promise((resolveOpen) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}ws`);
    let nextId = 1;
    const pending = new Map();
    let segment = null; // { recv0, st0, lags: [] } since the last (re)start of the replay
    const call = (method, args) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { t0: performance.now(), resolve, reject });
        ws.send(JSON.stringify({ kind: 'call', id, method, args }));
      });
    const flush = () => {
      if (!segment || !segment.lags.length) return;
      const min = Math.min(...segment.lags);
      for (const l of segment.lags) pushLag.push(l - min);
    };
    const restart = async () => {
      flush();
      segment = null;
      await call('replaySeek', { lap: 1 });
      await call('replayPlay');
    };
    ws.on('message', (d) => {
      const now = performance.now();
      const m = JSON.parse(String(d));
      if (m.kind === 'result') {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve({ value: m.value, ms: now - p.t0 });
        else p.reject(new Error(`${m.error.code}: ${m.error.message}`));
      } else if (m.kind === 'event' && m.name === 'replay:snapshot') {
        const s = m.payload;
        if (!s.playing) return;
        snapshots++;
        if (!segment) segment = { recv0: now, st0: s.sessionTime, lags: [] };
        segment.lags.push(now - segment.recv0 - ((s.sessionTime - segment.st0) / SPEED) * 1000);
        if (s.lap >= s.totalLaps && !stopping) void restart().catch(() => {});
      }
    });
    ws.on('close', () => {
      if (!stopping) dropped++;
    });
    ws.on('open', async () => {
      await call('replayOpen', { season: 2023, round: 1 });
      await call('replaySetSpeed', { speed: SPEED });
      await call('replayPlay');
      const methods = [
        ['replaySnapshot', undefined],
        ['listRaces', { season: 2023 }],
        ['replayEvents', { sinceLap: 0 }],
        ['commentarySince', {}],
      ];
      let k = n;
      const timer = setInterval(() => {
        const [m, a] = methods[k++ % methods.length];
        call(m, a).then(
          (r) => {
            callLat.push(r.ms);
            (byMethod[m] ??= []).push(r.ms);
          },
          () => dropped++,
        );
      }, 1000);
      resolveOpen({
        stop: () => {
          clearInterval(timer);
          flush();
          ws.close();
        },
      });
    });
  });
}

const clients = [];
for (let i = 0; i < CLIENTS; i++) clients.push(await client(i));
await new Promise((r) => setTimeout(r, 2000)); // every replay running
const rssStart = await rssMb();
let rssPeak = rssStart;
const sampler = setInterval(async () => (rssPeak = Math.max(rssPeak, await rssMb())), 5000);
callLat.length = 0;
pushLag.length = 0;
for (const k of Object.keys(byMethod)) delete byMethod[k];
await new Promise((r) => setTimeout(r, SECONDS * 1000));
clearInterval(sampler);
stopping = true;
for (const c of clients) c.stop();
const rssEnd = await rssMb();
rssPeak = Math.max(rssPeak, rssEnd);
await stopServe(child);

console.log(
  JSON.stringify({
    clients: CLIENTS,
    seconds: SECONDS,
    speed: SPEED,
    calls: callLat.length,
    callP50Ms: +quantile(callLat, 0.5).toFixed(2),
    callP99Ms: +quantile(callLat, 0.99).toFixed(2),
    snapshots,
    pushLagP50Ms: +quantile(pushLag, 0.5).toFixed(2),
    pushLagP99Ms: +quantile(pushLag, 0.99).toFixed(2),
    callP99ByMethodMs: Object.fromEntries(
      Object.entries(byMethod).map(([m, xs]) => [m, +quantile(xs, 0.99).toFixed(1)]),
    ),
    dropped,
    rssStartMb: rssStart,
    rssEndMb: rssEnd,
    rssPeakMb: rssPeak,
    rssGrowthMb: +(rssEnd - rssStart).toFixed(1),
  }),
);
