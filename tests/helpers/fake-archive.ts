// The F1 timing archive on 127.0.0.1, served from the gzip fixture in tests/fixtures/f1-livetiming (404 for what it
// lacks, as the real archive answers), optionally with extra files (a session Index.json, a keyframe).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PROJECT_ROOT } from './data.js';

export const ARCHIVE_FIXTURE = join(PROJECT_ROOT, 'tests', 'fixtures', 'f1-livetiming');
export const FP2_PATH = '2020/2020-08-09_70th_Anniversary_Grand_Prix/2020-08-07_Practice_2/';
export const FP2_KEY = 5778;

export async function startFakeArchive(extra: Record<string, string> = {}): Promise<{ base: string; log: string[]; close(): Promise<void> }> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').replace(/^\/static\//, ''));
    log.push(path);
    if (extra[path] !== undefined) return void res.writeHead(200).end(extra[path]);
    const f = join(ARCHIVE_FIXTURE, `${path}.gz`);
    if (path.includes('..') || !existsSync(f)) return void res.writeHead(404).end('<Error>NoSuchKey</Error>');
    res.writeHead(200).end(gunzipSync(readFileSync(f)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}/static`,
    log,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A raw fixture stream's text. */
export const fixtureStream = (topic: string): string => gunzipSync(readFileSync(join(ARCHIVE_FIXTURE, `${FP2_PATH}${topic}.jsonStream.gz`))).toString('utf8');
