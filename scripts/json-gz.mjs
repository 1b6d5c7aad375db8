// JSON files for the mutation scripts: read plain or gzipped (by the .gz ending), write gzipped and compact.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

export const readJson = (path) => {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
};
export const writeJsonGz = (path, value) => writeFileSync(path, gzipSync(JSON.stringify(value), { level: 9 }));
