import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { convert, parseDuration, typedRows } from './columns.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and newlines, and reports line numbers', () => {
    const t = parseCsv('a,b\n1,"x, ""y"""\n2,"multi\nline"\n3,z\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      ['1', 'x, "y"'],
      ['2', 'multi\nline'],
      ['3', 'z'],
    ]);
    expect(t.lines).toEqual([2, 3, 5]);
  });
  it('handles CRLF and a BOM', () => {
    const t = parseCsv('\uFEFFa,b\r\n1,2\r\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([['1', '2']]);
  });
  it('rejects an empty file and an unterminated quote', () => {
    expect(() => parseCsv('', 'empty.csv')).toThrow(/empty\.csv.*empty/);
    expect(() => parseCsv('a\n"open', 'q.csv')).toThrow(/q\.csv, line 2: unterminated/);
  });
});

describe('column conversion', () => {
  it('parses FastF1 timedeltas and Ergast times to seconds', () => {
    expect(parseDuration('0 days 01:04:15.961000')).toBeCloseTo(3855.961, 6);
    expect(parseDuration('1 days 00:00:01')).toBe(86401);
    expect(parseDuration('1:26.572')).toBeCloseTo(86.572, 6);
    expect(parseDuration('93.372')).toBeCloseTo(93.372, 6);
    expect(parseDuration('abc')).toBeNull();
  });
  it('normalises track status 1.0 → 1 and reads nulls', () => {
    expect(convert('1.0', 'trackStatus')).toBe('1');
    expect(convert('41', 'trackStatus')).toBe('41');
    expect(convert('\\N', 'int')).toBeNull();
    expect(convert('', 'real')).toBeNull();
    expect(convert('4.0', 'int')).toBe(4);
    expect(convert('x12', 'int')).toBeUndefined();
    expect(convert('True', 'bool')).toBe(1);
  });
  it('names file, line and column of a bad value, a short row and a missing column', () => {
    const spec = [
      ['id', 'id', 'int', true, false],
      ['v', 'v', 'real'],
    ] as const;
    expect(() => typedRows(parseCsv('id,v\n1,2.5\n2,x\n', 't.csv'), spec)).toThrow(
      't.csv, line 3, column "v": "x" is not a number',
    );
    expect(() => typedRows(parseCsv('id,v\n1,2.5\n2\n', 't.csv'), spec)).toThrow(/t\.csv, line 3.*expected 2 fields, found 1/);
    expect(() => typedRows(parseCsv('id\n1\n', 't.csv'), spec)).toThrow(/t\.csv, line 1, column "v": missing required column/);
    expect(() => typedRows(parseCsv('id,v\n,1\n', 't.csv'), spec)).toThrow(/line 2, column "id": value is required/);
  });
});
