import { describe, expect, it } from 'vitest';
import { deepLinkQuery, queryString } from './args.js';

describe('start-up arguments', () => {
  it('map to the same deep-link query a browser uses', () => {
    const q = deepLinkQuery([
      '/opt/PitWall/pitwall',
      '--season=2023',
      '--round',
      '1',
      '--speed=100',
      '--play',
    ]);
    expect(q).toEqual({ season: '2023', round: '1', speed: '100', play: '1' });
    expect(queryString(q)).toBe('?season=2023&round=1&speed=100&play=1');
  });
  it('ignore Chromium switches, non-numbers and unknown keys', () => {
    expect(
      deepLinkQuery([
        '--no-sandbox',
        '--season=abc',
        '--enable-features=X',
        '--play=0',
        'out/main/app/main.js',
      ]),
    ).toEqual({ play: '0' });
    expect(queryString({})).toBe('');
  });
});
