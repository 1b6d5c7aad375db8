// A small, fast RFC 4180 CSV reader that reports line numbers and rejects malformed input.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.js';

export interface CsvTable {
  file: string;
  header: string[];
  /** Rows with their 1-based line numbers in the file (header is line 1). */
  rows: string[][];
  lines: number[];
}

/** Reads a .csv or .csv.gz file as strict UTF-8. */
export function readTextFile(path: string): string {
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const text = new TextDecoder('utf-8').decode(buf);
    const bad = text.indexOf('\uFFFD');
    const line = text.slice(0, Math.max(0, bad)).split('\n').length;
    throw new DataError('not valid UTF-8 (wrong encoding?)', displayName(path), line);
  }
}

export const displayName = (path: string): string => basename(path).replace(/\.gz$/, '');

export function parseCsv(text: string, file: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError('file is empty (no header row)', file, 1);
  const rows: string[][] = [];
  const lines: number[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const row: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        let j = i + 1;
        let out = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new DataError('unterminated quoted field (truncated file?)', file, startLine);
          out += text.slice(j, q);
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === 10) line++;
          if (text.charCodeAt(q + 1) === 34) {
            out += '"';
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        field = out;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      row.push(field);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (row.length === 1 && row[0] === '') continue; // blank line
    rows.push(row);
    lines.push(startLine);
  }
  const header = rows.shift() ?? [];
  lines.shift();
  return { file, header, rows, lines };
}

export function readCsv(path: string): CsvTable {
  return parseCsv(readTextFile(path), displayName(path));
}
