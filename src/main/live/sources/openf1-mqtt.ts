// OpenF1's MQTT-over-WebSocket stream (the `mqtt` package): topics `v1/<endpoint>`, one JSON record per message,
// the OpenF1 token as the password. Resolves when the session is over or aborted (true), or false when the broker
// cannot be reached or refuses the token at the first connect (the caller then polls).
import { connectAsync, type MqttClient } from 'mqtt';
import type { LiveConnection } from '../feed.js';
import type { OpenF1Record } from './openf1-topics.js';

export interface OpenF1StreamOptions {
  url: string;
  token: string;
  topics: string[];
  signal: AbortSignal;
  /** Polled every second: the session is over. */
  over: () => boolean;
  onRecord: (endpoint: string, r: OpenF1Record) => void;
  onSkip: (reason: string) => void;
  onStatus: (c: LiveConnection, detail?: string) => void;
  onReconnected: () => void;
}

export async function streamOpenF1(o: OpenF1StreamOptions): Promise<boolean> {
  let client: MqttClient;
  try {
    client = await connectAsync(o.url, { username: 'pitwall', password: o.token, reconnectPeriod: 2000, connectTimeout: 15_000, clean: true });
  } catch (e) {
    o.onSkip(`cannot connect to ${o.url}: ${(e as Error).message}`);
    return false;
  }
  try {
    await client.subscribeAsync(o.topics.map((t) => `v1/${t}`));
    o.onStatus('live', 'streaming over MQTT');
    client.on('message', (topic, payload) => {
      const endpoint = topic.replace(/^v1\//, '');
      let r: unknown;
      try {
        r = JSON.parse(payload.toString('utf8'));
      } catch {
        return o.onSkip(`${topic}: malformed JSON`);
      }
      if (typeof r !== 'object' || r === null || Array.isArray(r)) return o.onSkip(`${topic}: not a record`);
      o.onRecord(endpoint, r as OpenF1Record);
    });
    let down = false;
    const lost = () => {
      if (down) return;
      down = true;
      o.onStatus('reconnecting', 'MQTT connection lost');
    };
    client.on('close', lost);
    client.on('offline', lost);
    client.on('connect', () => {
      if (!down) return;
      down = false;
      o.onStatus('live', 'MQTT reconnected');
      o.onReconnected();
    });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => o.over() && (clearInterval(t), resolve()), 1000);
      o.signal.addEventListener('abort', () => (clearInterval(t), resolve()), { once: true });
    });
    return true;
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}
