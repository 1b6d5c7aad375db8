// A stand-in for OpenF1's MQTT-over-WebSocket broker on 127.0.0.1 (node `ws` + the `mqtt-packet` codec that `mqtt`
// itself uses): CONNECT (password must be the token, else "not authorized"), SUBSCRIBE, PINGREQ, and `publish` from
// the test to every subscriber of a topic. `dropAll` cuts every connection (the client reconnects).
import { createServer } from 'node:http';
import { generate, parser, type Packet } from 'mqtt-packet';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeMqtt {
  url: string;
  connects: { password: string | undefined; ok: boolean }[];
  /** Resolves once a client has subscribed to `topic` (counting from now). */
  subscribed(topic: string): Promise<void>;
  publish(topic: string, payload: string): number;
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeMqtt(o: { token: string }): Promise<FakeMqtt> {
  const server = createServer();
  const wss = new WebSocketServer({ server, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
  const subs = new Map<WebSocket, Set<string>>();
  const waiters: { topic: string; resolve: () => void }[] = [];
  const connects: FakeMqtt['connects'] = [];
  wss.on('connection', (ws) => {
    const p = parser({ protocolVersion: 4 });
    const send = (pk: Packet) => ws.send(generate(pk));
    p.on('packet', (pk: Packet) => {
      if (pk.cmd === 'connect') {
        const password = pk.password?.toString();
        const ok = password === o.token;
        connects.push({ password, ok });
        send({ cmd: 'connack', returnCode: ok ? 0 : 5, sessionPresent: false });
        if (!ok) ws.close();
      } else if (pk.cmd === 'subscribe') {
        const set = subs.get(ws) ?? new Set<string>();
        subs.set(ws, set);
        for (const s of pk.subscriptions) set.add(s.topic);
        send({ cmd: 'suback', messageId: pk.messageId!, granted: pk.subscriptions.map(() => 0) });
        for (const w of waiters.splice(0)) if (set.has(w.topic)) w.resolve();
        else waiters.push(w);
      } else if (pk.cmd === 'pingreq') send({ cmd: 'pingresp' });
      else if (pk.cmd === 'disconnect') ws.close();
    });
    ws.on('message', (data) => p.parse(data as Buffer));
    ws.on('close', () => subs.delete(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/mqtt`,
    connects,
    subscribed: (topic) => new Promise<void>((resolve) => waiters.push({ topic, resolve })),
    publish(topic, payload) {
      let n = 0;
      for (const [ws, set] of subs)
        if (set.has(topic)) {
          ws.send(generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, dup: false, retain: false }));
          n++;
        }
      return n;
    },
    dropAll() {
      for (const ws of subs.keys()) ws.terminate();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => r());
      }),
  };
}
