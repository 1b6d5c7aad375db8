// Entity files (CSV: entity key columns + event_timestamp) in, feature CSVs (same columns + one per ref) out.
import { writeFileSync } from 'node:fs';
import { readCsv } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { parseTime } from './materialize.js';
import type { HistoricalResult } from './historical.js';
import type { EntityRow, FeatureValue } from './types.js';

export interface EntityFile {
  file: string;
  columns: string[];
  rows: EntityRow[];
  /** Line number of each row (header = line 1). */
  lines: number[];
}

export function readEntityFile(path: string): EntityFile {
  const t = readCsv(path);
  const header = t.header.map((h) => h.trim());
  if (!header.includes('event_timestamp'))
    throw new DataError(`no "event_timestamp" column (header: ${header.join(',') || 'empty'})`, t.file, 1);
  if (header.length < 2)
    throw new DataError('needs at least one entity key column besides event_timestamp', t.file, 1);
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) throw new DataError(`column "${dup}" appears twice`, t.file, 1);
  if (!t.rows.length) throw new DataError('no entity rows after the header', t.file, 2);
  const rows: EntityRow[] = [];
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i]!;
    const line = t.lines[i]!;
    if (r.length !== header.length)
      throw new DataError(`has ${r.length} fields, the header has ${header.length}`, t.file, line);
    const row: EntityRow = { event_timestamp: '' };
    for (let c = 0; c < header.length; c++) {
      const v = r[c]!.trim();
      if (v === '') throw new DataError('is empty', t.file, line, header[c]);
      row[header[c]!] = v;
    }
    if (Number.isNaN(parseTime(row.event_timestamp)))
      throw new DataError(
        `"${String(row.event_timestamp)}" is not an ISO 8601 UTC time (e.g. 2023-03-05T15:00:00Z)`,
        t.file,
        line,
        'event_timestamp',
      );
    rows.push(row);
  }
  return { file: t.file, columns: header, rows, lines: t.lines };
}

const cell = (v: FeatureValue | string | number | Date): string => {
  if (v === null) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The entity columns as given, then one column per ref named exactly as the ref; null → empty. */
export function featureCsv(columns: string[], rows: EntityRow[], result: HistoricalResult): string {
  const out: string[] = [[...columns, ...result.refs.map((r) => r.ref)].map(cell).join(',')];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.push([...columns.map((c) => cell(r[c] ?? '')), ...result.values[i]!.map(cell)].join(','));
  }
  return out.join('\n') + '\n';
}

export function writeFeatureCsv(
  path: string,
  columns: string[],
  rows: EntityRow[],
  result: HistoricalResult,
): void {
  writeFileSync(path, featureCsv(columns, rows, result));
}
