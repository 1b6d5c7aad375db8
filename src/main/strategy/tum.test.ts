import { describe, expect, it } from 'vitest';
import { parseTumIni, tumTrack } from './tum.js';
import { DataError } from '../data/errors.js';

describe('TUM parameter files', () => {
  it('parses Python-literal dicts spanning lines, with comments, True/None and trailing commas', () => {
    const ini = parseTumIni(
      ['# header', '[RACE_PARS]', "race_pars = {'season': 2019,", "    'use_drs': True, 'x': None,", "    'l': [1, 2,],}", '[OTHER]', 'k = 3'].join('\n'),
      'mem.ini',
    );
    expect(ini.RACE_PARS?.race_pars).toEqual({ season: 2019, use_drs: true, x: null, l: [1, 2] });
    expect(ini.OTHER?.k).toBe(3);
  });

  it('names the file, line and key of a value it cannot read', () => {
    expect(() => parseTumIni('[A]\n\nbad = {"a": }', 'f.ini')).toThrow(DataError);
    expect(() => parseTumIni('[A]\n\nbad = {"a": }', 'f.ini')).toThrow(/f\.ini, line 3, column "bad"/);
  });

  it('reads the bundled Sakhir parameters (newest year ≤ season)', () => {
    const t = tumTrack('bahrain', 2023)!;
    expect(t.year).toBe(2019);
    expect(t.track).toBe('Sakhir');
    expect(t.pitGreen).toBeCloseTo(3.359 + 17.173, 3);
    expect(t.pitSc).toBeLessThan(t.pitGreen);
    expect(tumTrack('bahrain', 2016)!.year).toBe(2016);
    expect(tumTrack('miami', 2023)).toBeNull();
  });
});
