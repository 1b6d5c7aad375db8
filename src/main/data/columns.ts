// Typed column conversion for CSV imports. Every failure names file, line and column.
import type { CsvTable } from './csv.js';
import { DataError } from './errors.js';
import { normaliseTrackStatus } from '../race/track-status.js';

export type ColType = 'int' | 'real' | 'text' | 'bool' | 'duration' | 'lapTime' | 'trackStatus';
/** [csv header, db column, type, required header?, nullable?] */
export type ColSpec = readonly [string, string, ColType, boolean?, boolean?];

const NULLS = new Set(['', '\\N', 'NaN', 'nan', 'NaT']);

/** "0 days 01:04:15.961000", "1:34:50.616", "1:26.572", "93.372" → seconds. */
export function parseDuration(s: string): number | null {
  let rest = s.trim();
  let days = 0;
  const d = /^(-?\d+) days? /.exec(rest);
  if (d) {
    days = Number(d[1]);
    rest = rest.slice(d[0].length);
  }
  const parts = rest.split(':');
  if (parts.length > 3 || parts.some((p) => p === '' || !/^-?\d+(\.\d+)?$/.test(p))) return null;
  let secs = 0;
  for (const p of parts) secs = secs * 60 + Number(p);
  return days * 86400 + secs;
}

export function convert(raw: string, type: ColType): string | number | null | undefined {
  if (NULLS.has(raw)) return null;
  switch (type) {
    case 'text':
      return raw;
    case 'int': {
      const t = raw.endsWith('.0') ? raw.slice(0, -2) : raw;
      return /^-?\d+$/.test(t) ? Number(t) : undefined;
    }
    case 'real': {
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return undefined;
      return Number(raw);
    }
    case 'bool':
      if (raw === 'True' || raw === 'true' || raw === '1' || raw === '1.0') return 1;
      if (raw === 'False' || raw === 'false' || raw === '0' || raw === '0.0') return 0;
      return undefined;
    case 'duration':
    case 'lapTime':
      return parseDuration(raw) ?? undefined;
    case 'trackStatus':
      return normaliseTrackStatus(raw) ?? undefined;
  }
}

const TYPE_WORD: Record<ColType, string> = {
  int: 'an integer',
  real: 'a number',
  text: 'text',
  bool: 'True/False',
  duration: 'a duration',
  lapTime: 'a lap time',
  trackStatus: 'a track-status code',
};

/** Converts a parsed table to row arrays in spec order, validating header, row width and every value. */
export function typedRows(table: CsvTable, spec: readonly ColSpec[]): { columns: string[]; rows: unknown[][] } {
  const idx: number[] = [];
  const used: ColSpec[] = [];
  for (const col of spec) {
    const i = table.header.indexOf(col[0]);
    if (i < 0) {
      if (col[3] !== false) throw new DataError(`missing required column "${col[0]}"`, table.file, 1, col[0]);
      continue;
    }
    idx.push(i);
    used.push(col);
  }
  const width = table.header.length;
  // A row may stop early only where every omitted column is optional (newer exports drop trailing session dates).
  const optionalFrom = firstOptionalTail(table.header, spec);
  const rows: unknown[][] = new Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    const line = table.lines[r]!;
    if (row.length > width || (row.length < width && row.length < optionalFrom)) {
      const missing = row.length < width ? firstRequired(table.header, spec, row.length) : undefined;
      throw new DataError(
        row.length > width
          ? `expected ${width} fields, found ${row.length} (malformed row)`
          : `expected ${width} fields, found ${row.length}: required column "${missing}" is missing (truncated or malformed row)`,
        table.file,
        line,
        row.length > width ? table.header[width - 1] : missing,
      );
    }
    const out = new Array(used.length);
    for (let c = 0; c < used.length; c++) {
      const col = used[c]!;
      const raw = row[idx[c]!] ?? '';
      const v = convert(raw, col[2]);
      if (v === undefined) throw new DataError(`"${raw}" is not ${TYPE_WORD[col[2]]}`, table.file, line, col[0]);
      if (v === null && col[4] === false) throw new DataError('value is required', table.file, line, col[0]);
      out[c] = v;
    }
    rows[r] = out;
  }
  return { columns: used.map((c) => c[1]), rows };
}

/** Index of the first header column from which every later column is optional (not a required column of `spec`). */
function firstOptionalTail(header: string[], spec: readonly ColSpec[]): number {
  let from = header.length;
  for (let i = header.length - 1; i >= 0; i--) {
    const col = spec.find((c) => c[0] === header[i]);
    if (col && col[3] !== false) break;
    from = i;
  }
  return from;
}

function firstRequired(header: string[], spec: readonly ColSpec[], from: number): string | undefined {
  for (let i = from; i < header.length; i++) {
    const col = spec.find((c) => c[0] === header[i]);
    if (col && col[3] !== false) return header[i];
  }
  return header[from];
}
