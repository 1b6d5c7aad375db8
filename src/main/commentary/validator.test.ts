// The fact checker claim by claim, on hand-made facts (every figure of them known): driver names (accents folded,
// regex characters literal, short names unchecked, nested surnames), every team and alias, positions in every
// spelling tied to the drivers named in the sentence and to their events, laps, laps to go, tyre ages, lap times,
// figures with their tolerance per decimal, tyre compounds in every phrasing; the name book from the database; the
// rate limiter's budget per priority, its window and its memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import type { CarFact, EventFact, Facts } from './context.js';
import { FactChecker, nameBook, RateLimiter } from './validator.js';

const car = (surname: string, code: string, o: Partial<CarFact> = {}): CarFact => ({
  name: `Test ${surname}`,
  surname,
  code,
  team: 'Nobody',
  position: 1,
  gapToLeader: null,
  interval: null,
  compound: 'UNKNOWN',
  tyreAge: null,
  pitStops: 0,
  lastLap: null,
  retired: false,
  ...o,
});
const event = (o: Partial<EventFact> = {}): EventFact => ({
  type: 'safety_car',
  priority: 'CRITICAL',
  lap: 20,
  driver: null,
  other: null,
  details: {},
  ...o,
});
const facts = (o: Partial<Facts> = {}): Facts => ({
  race: '2023 Test Grand Prix',
  circuit: 'Test Ring',
  lap: 20,
  totalLaps: 57,
  lapsToGo: 37,
  trackState: 'green',
  event: event(),
  alsoInvolved: [],
  leader: null,
  top: [],
  recent: [],
  background: [],
  ...o,
});
const ok = { ok: true, issues: [] };
const bad = (...issues: string[]) => ({ ok: false, issues });

const VER = car('Verstappen', 'VER', {
  name: 'Max Verstappen',
  team: 'Red Bull Racing',
  position: 1,
  compound: 'MEDIUM',
});
const PER = car('Pérez', 'PER', {
  name: 'Sergio Pérez',
  team: 'Red Bull Racing',
  position: 2,
  compound: 'HARD',
});
const LEC = car('Leclerc', 'LEC', {
  name: 'Charles Leclerc',
  team: 'Ferrari',
  position: 3,
  compound: 'SOFT',
});
/** A checker with no name book, made per call (code run at import or in hooks hides kills under Stryker's per-test coverage). */
const plain = { check: (text: string, f: Facts) => new FactChecker().check(text, f) };

describe('fact checker: empty lines and driver names', () => {
  it('an empty or blank line is rejected as empty', () => {
    for (const text of ['', '   ', '\n\t ']) expect(plain.check(text, facts())).toEqual(bad('empty line'));
  });

  it('a name of the book that is not in the context is flagged, in each sentence, once per line', () => {
    const book = new FactChecker({
      drivers: [
        { surname: 'Vettel', code: 'VET' },
        { surname: 'Verstappen', code: 'VER' },
      ],
    });
    const f = facts({ top: [VER] });
    expect(book.check('Vettel pits.', f)).toEqual(bad('driver "Vettel" is not in the context'));
    expect(book.check('Verstappen pits.', f)).toEqual(ok);
    expect(book.check('Vettel pits. Vettel stays out.', f)).toEqual(
      bad('driver "Vettel" is not in the context'),
    );
    expect(plain.check('Vettel pits.', f)).toEqual(ok); // no book: nothing to spot
  });

  it('accents are folded: the book’s and the context’s names match with or without them', () => {
    const book = new FactChecker({ drivers: [{ surname: 'Pérez', code: 'PER' }] });
    expect(book.check('Perez pits.', facts({ top: [VER] }))).toEqual(
      bad('driver "Perez" is not in the context'),
    );
    expect(book.check('Pérez pits.', facts({ top: [VER] }))).toEqual(
      bad('driver "Perez" is not in the context'),
    );
    expect(book.check('Perez pits.', facts({ top: [PER] }))).toEqual(ok);
    expect(book.check('Pérez pits.', facts({ top: [PER] }))).toEqual(ok);
  });

  it('a surname is matched literally, whatever regex characters it holds', () => {
    const names = [
      'Ma.s',
      'Ma+s',
      'Ma*s',
      'Ma?s',
      'Ma|s',
      'Ma\\s',
      'Ma^s',
      'Ma$s',
      'Ma{2}s',
      'Ma(s',
      'Ma)s',
      'Ma[s',
      'Ma]s',
      'Ma}s',
    ];
    const book = new FactChecker({ drivers: names.map((surname) => ({ surname, code: null })) });
    const f = facts({ top: [VER] });
    for (const n of names)
      expect(book.check(`${n} pits.`, f), n).toEqual(bad(`driver "${n}" is not in the context`));
    for (const text of ['Mass pits.', 'Maas pits.', 'Mas pits.', 'Ms pits.', 'Mad pits.', 'Ma s pits.'])
      expect(book.check(text, f), text).toEqual(ok);
  });

  it('surnames shorter than three letters are not checked; three letters are', () => {
    const book = new FactChecker({
      drivers: [
        { surname: 'Li', code: null },
        { surname: 'Abe', code: null },
      ],
    });
    expect(book.check('Li waves.', facts())).toEqual(ok);
    expect(book.check('Abe waves.', facts())).toEqual(bad('driver "Abe" is not in the context'));
  });

  it('a book name inside a named context surname, or containing it, is that driver', () => {
    const book = new FactChecker({
      drivers: [
        { surname: 'Vries', code: null },
        { surname: 'de Vries', code: null },
      ],
    });
    expect(book.check('de Vries pits.', facts({ top: [car('de Vries', 'DEV')] }))).toEqual(ok);
    expect(book.check('de Vries pits.', facts({ top: [car('Vries', 'VRI')] }))).toEqual(ok);
    // the context's driver not named in the sentence: the nested name is no excuse
    expect(book.check('Vries pits.', facts({ top: [car('de Vries', 'DEV')] }))).toEqual(
      bad('driver "Vries" is not in the context'),
    );
    expect(book.check('de Vries pits.', facts({ top: [VER] }))).toEqual(
      bad('driver "Vries" is not in the context', 'driver "de Vries" is not in the context'),
    );
  });

  it('the context’s drivers are the top cars, the leader and every car of the events', () => {
    const book = new FactChecker({ drivers: [{ surname: 'Verstappen', code: 'VER' }] });
    expect(book.check('Verstappen leads.', facts({ leader: VER }))).toEqual(ok);
    expect(
      book.check('Verstappen pits.', facts({ event: event({ type: 'pit_stop', driver: VER }) })),
    ).toEqual(ok);
    expect(
      book.check('Verstappen is passed.', facts({ event: event({ type: 'overtake', other: VER }) })),
    ).toEqual(ok);
    expect(
      book.check('Verstappen pits too.', facts({ alsoInvolved: [event({ type: 'pit_stop', driver: VER })] })),
    ).toEqual(ok);
    expect(book.check('Verstappen pits.', facts({ top: [LEC] }))).toEqual(
      bad('driver "Verstappen" is not in the context'),
    );
  });

  it('a context driver is named by surname, code or full name (a whole word): then positions are his', () => {
    const x = car('Xyzzy', 'XYZ', { name: 'Bob Qwerty', position: 5 });
    const f = facts({ top: [VER, x] });
    for (const text of ['Xyzzy holds P1.', 'XYZ holds P1.', 'Bob Qwerty holds P1.'])
      expect(plain.check(text, f), text).toEqual(bad('position P1 does not match the context for Xyzzy'));
    // not named (no whole word): any car's position will do, another is flagged without a name
    for (const text of ['Xyzzyx holds P1.', 'XYZA holds P1.', 'Rob Qwerty holds P1.', 'Someone holds P5.'])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('Someone holds P3.', f)).toEqual(bad('position P3 does not match the context'));
  });
});

describe('fact checker: teams', () => {
  const TEAMS: [string, string[], string][] = [
    ['Red Bull', ['Red Bull'], 'Red Bull Racing'],
    ['Ferrari', ['Ferrari'], 'Scuderia Ferrari'],
    ['Mercedes', ['Mercedes'], 'Mercedes'],
    ['McLaren', ['McLaren'], 'McLaren'],
    ['Aston Martin', ['Aston Martin'], 'Aston Martin'],
    ['Alpine', ['Alpine'], 'Alpine F1 Team'],
    ['Williams', ['Williams'], 'Williams'],
    [
      'AlphaTauri',
      ['AlphaTauri', 'Alpha Tauri', 'Toro Rosso', 'Racing Bulls', 'VCARB'],
      'Scuderia Toro Rosso',
    ],
    ['Sauber', ['Alfa Romeo', 'Sauber', 'Kick'], 'Kick Sauber'],
    ['Haas', ['Haas'], 'Haas F1 Team'],
    ['Racing Point', ['Racing Point', 'Force India'], 'Force India'],
    ['Renault', ['Renault'], 'Renault'],
  ];

  it.each(TEAMS)(
    '"%s" (by any of its names) is flagged unless a car of the context drives for it',
    (k, names, team) => {
      const none = facts({ top: [car('Nobody', 'NOB', { team: 'Nobody' })] });
      const theirs = facts({
        top: [car('Nobody', 'NOB', { team: 'Nobody' }), car('Someone', 'SOM', { team })],
      });
      for (const n of names) {
        expect(plain.check(`${n} are quick.`, none), n).toEqual(bad(`team "${k}" is not in the context`));
        expect(plain.check(`${n.toLowerCase()} are quick.`, none), n).toEqual(
          bad(`team "${k}" is not in the context`),
        );
        expect(plain.check(`${n} are quick.`, theirs), n).toEqual(ok);
        // a team name is a whole word
        expect(plain.check(`x${n} are quick.`, none), n).toEqual(ok);
        expect(plain.check(`${n}x are quick.`, none), n).toEqual(ok);
      }
    },
  );

  it('"RB" alone (any case, spaces around) is the AlphaTauri team; "RB" inside a longer name is not', () => {
    for (const team of ['RB', 'rb', ' RB '])
      expect(
        plain.check('Racing Bulls are quick.', facts({ top: [car('A', 'AAA', { team })] })),
        team,
      ).toEqual(ok);
    expect(
      plain.check('Racing Bulls are quick.', facts({ top: [car('A', 'AAA', { team: 'RBR' })] })),
    ).toEqual(bad('team "AlphaTauri" is not in the context'));
    expect(
      plain.check('Racing Bulls are quick.', facts({ top: [car('A', 'AAA', { team: 'XRB' })] })),
    ).toEqual(bad('team "AlphaTauri" is not in the context'));
  });

  it('a team named in the race’s name is in the context', () => {
    expect(plain.check('Williams are quick.', facts({ race: '2023 Williams Test Grand Prix' }))).toEqual(ok);
    expect(
      plain.check('Ferrari and Williams are quick.', facts({ race: '2023 Williams Test Grand Prix' })),
    ).toEqual(bad('team "Ferrari" is not in the context'));
  });
});

describe('fact checker: positions', () => {
  const f = facts({ top: [VER, PER, LEC] });

  it('P-numbers, one or two digits, whole words, of the drivers named in the sentence', () => {
    expect(plain.check('Verstappen leads from P1.', f)).toEqual(ok);
    expect(plain.check('Verstappen runs P12.', f)).toEqual(
      bad('position P12 does not match the context for Verstappen'),
    );
    expect(plain.check('Verstappen runs P2.', f)).toEqual(
      bad('position P2 does not match the context for Verstappen'),
    );
    for (const text of ['Verstappen runs XP2.', 'Verstappen runs P2x.', 'Verstappen runs P100.'])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('Verstappen and Pérez run P1 and P2.', f)).toEqual(ok);
    expect(plain.check('Verstappen and Leclerc fight for P2.', f)).toEqual(
      bad('position P2 does not match the context for Verstappen/Leclerc'),
    );
    // nobody named: any position of the context
    expect(plain.check('The fight for P3 is on.', f)).toEqual(ok);
    expect(plain.check('The fight for P4 is on.', f)).toEqual(bad('position P4 does not match the context'));
    expect(plain.check('The fight for P1 is on.', facts())).toEqual(
      bad('position P1 does not match the context'),
    );
  });

  it('ordinals 1st, 2nd, 3rd, 4th…, not of laps or sectors, nor in the race’s name', () => {
    expect(plain.check('Verstappen is 1st.', f)).toEqual(ok);
    expect(plain.check('Verstappen is 2nd.', f)).toEqual(
      bad('position P2 does not match the context for Verstappen'),
    );
    expect(plain.check('Verstappen is 3rd.', f)).toEqual(
      bad('position P3 does not match the context for Verstappen'),
    );
    expect(plain.check('Verstappen is 4th.', f)).toEqual(
      bad('position P4 does not match the context for Verstappen'),
    );
    expect(plain.check('Verstappen is 21ST.', f)).toEqual(
      bad('position P21 does not match the context for Verstappen'),
    );
    for (const text of [
      'Verstappen sets the pace on his 5th lap.',
      'Verstappen is quick in the 2nd sector.',
      'Verstappen on his 5th  lap.',
    ])
      expect(plain.check(text, f), text).toEqual(ok);
    const anniversary = facts({ race: '2020 70th Anniversary Grand Prix', top: [VER] });
    expect(plain.check('Verstappen wins the 70th Anniversary Grand Prix.', anniversary)).toEqual(ok);
    expect(plain.check('Verstappen wins the 70th Anniversary Grand Prix.', f)).toEqual(
      bad('position P70 does not match the context for Verstappen'),
    );
  });

  it('ordinal words first … twentieth before "place" or "position"', () => {
    const words = [
      'first',
      'second',
      'third',
      'fourth',
      'fifth',
      'sixth',
      'seventh',
      'eighth',
      'ninth',
      'tenth',
      'eleventh',
      'twelfth',
      'thirteenth',
      'fourteenth',
      'fifteenth',
      'sixteenth',
      'seventeenth',
      'eighteenth',
      'nineteenth',
      'twentieth',
    ];
    const one = facts({ top: [VER] });
    words.forEach((w, i) => {
      const want = i === 0 ? ok : bad(`position P${i + 1} does not match the context for Verstappen`);
      expect(plain.check(`Verstappen finishes in ${w} place.`, one), w).toEqual(want);
      expect(plain.check(`Verstappen holds ${w.toUpperCase()} position.`, one), w).toEqual(want);
    });
    for (const text of [
      'Verstappen holds position.',
      'Verstappen takes his place.',
      'Verstappen is first.',
      'Verstappen is in a strong position.',
    ])
      expect(plain.check(text, one), text).toEqual(ok);
    expect(plain.check('Leclerc holds position.', facts({ top: [LEC] }))).toEqual(ok); // not even a P1
  });

  it('positions of a driver’s events: position, from and to; the passed car may also sit one place back', () => {
    const ham = car('Hamilton', 'HAM', { position: 4 });
    const rus = car('Russell', 'RUS', { position: 7 });
    const pass = facts({
      top: [VER, ham, rus],
      event: event({ type: 'overtake', driver: ham, other: rus, details: { position: 4, gapBefore: 0.4 } }),
    });
    expect(plain.check('Russell drops to P7.', pass)).toEqual(ok);
    expect(plain.check('Russell was P4.', pass)).toEqual(ok);
    expect(plain.check('Russell falls to P5.', pass)).toEqual(ok);
    expect(plain.check('Russell falls to P3.', pass)).toEqual(
      bad('position P3 does not match the context for Russell'),
    );
    expect(plain.check('Hamilton takes P4.', pass)).toEqual(ok);
    expect(plain.check('Hamilton takes P5.', pass)).toEqual(
      bad('position P5 does not match the context for Hamilton'),
    );
    expect(plain.check('Verstappen is P4.', pass)).toEqual(
      bad('position P4 does not match the context for Verstappen'),
    );
    const sai = car('Sainz', 'SAI', { position: 9 });
    const cycle = facts({
      top: [VER, LEC, sai],
      event: event({
        type: 'pit_cycle',
        driver: LEC,
        other: sai,
        details: { kind: 'stop', from: 6, to: 8, position: '5' },
      }),
    });
    expect(plain.check('Leclerc goes from P6 to P8.', cycle)).toEqual(ok);
    expect(plain.check('Sainz goes from P6 to P8.', cycle)).toEqual(ok);
    for (const p of [5, 7])
      expect(plain.check(`Sainz is P${p}.`, cycle)).toEqual(
        bad(`position P${p} does not match the context for Sainz`),
      );
    expect(plain.check('Leclerc is P7.', cycle)).toEqual(
      bad('position P7 does not match the context for Leclerc'),
    );
    expect(plain.check('Verstappen goes to P8.', cycle)).toEqual(
      bad('position P8 does not match the context for Verstappen'),
    );
  });

  it('sentences end at . ! ? and ; each is judged on its own names', () => {
    const two = facts({ top: [VER, PER] });
    for (const t of ['.', '!', '?', ';'])
      expect(plain.check(`Pérez is P1${t} Verstappen leads.`, two), t).toEqual(
        bad('position P1 does not match the context for Pérez'),
      );
    expect(plain.check('Pérez is P1, Verstappen leads.', two)).toEqual(ok);
  });
});

describe('fact checker: laps, laps to go, tyre ages', () => {
  const f = facts({
    top: [car('Verstappen', 'VER', { tyreAge: 12 })],
    lap: 20,
    totalLaps: 57,
    lapsToGo: 37,
    event: event({ type: 'pit_stop', lap: 19, details: { stintLap: 16, stint: 15, fooLap: '14' } }),
    alsoInvolved: [event({ type: 'pit_stop', lap: 18, details: { pitLap: 17 } })],
  });

  it('a lap number must be the lap, the race distance, an event’s lap or a lap figure of an event', () => {
    for (const n of [20, 57, 19, 18, 17, 16])
      expect(plain.check(`It happened on lap ${n}.`, f), String(n)).toEqual(ok);
    for (const n of [21, 15, 14, 1])
      expect(plain.check(`It happened on lap ${n}.`, f), String(n)).toEqual(
        bad(`lap ${n} does not match the context`),
      );
    expect(plain.check('On Lap 21 it happened.', f)).toEqual(bad('lap 21 does not match the context'));
    for (const text of ['It happened on lap 1234.', 'An overlap 21 times.', 'On lap 21x.'])
      expect(plain.check(text, f), text).toEqual(ok);
  });

  it('laps to go may be off by one', () => {
    for (const text of ['36 laps to go.', '37 laps remaining.', '38 laps left.'])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('35 laps to go.', f)).toEqual(bad('35 laps to go does not match (37)'));
    expect(plain.check('39 Laps Left.', f)).toEqual(bad('39 laps to go does not match (37)'));
    expect(plain.check('1 lap remaining.', f)).toEqual(bad('1 laps to go does not match (37)'));
  });

  it('a tyre age must be a figure of the context', () => {
    for (const text of [
      'On 12 laps old tyres.',
      'On 12-lap-old tyres.',
      'On 12 lap-old tyres.',
      'On 12-laps old tyres.',
    ])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('On 13 laps old tyres.', f)).toEqual(
      bad('tyre age 13 laps does not match the context'),
    );
    expect(plain.check('On 13-lap-old tyres.', f)).toEqual(
      bad('tyre age 13 laps does not match the context'),
    );
  });
});

describe('fact checker: times and figures', () => {
  const f = facts({
    top: [
      car('Verstappen', 'VER', { lastLap: 95.123 }),
      car('Leclerc', 'LEC', { position: 3, gapToLeader: 2.55, interval: 0.72 }),
    ],
    event: event({ type: 'pit_stop', details: { pitLaneTime: 21.6 } }),
  });

  it('a lap time m:ss(.s…) is within half a unit of its last digit of a figure of the context', () => {
    for (const text of ['A 1:35.123 lap.', 'A 1:35.1 lap.', 'A 1:35 lap.', 'A 0:95.123 lap.'])
      expect(plain.check(text, f), text).toEqual(ok);
    for (const t of ['1:35.2', '1:36', '1:35.5', '2:35.123', '1:35.13'])
      expect(plain.check(`A ${t} lap.`, f), t).toEqual(bad(`time ${t} does not match the context`));
  });

  it('decimals and figures with a unit are checked; plain integers are not', () => {
    for (const text of [
      'Leclerc is 2.5 s back.',
      'Leclerc is 2.6s back.',
      'Leclerc is 2.55 seconds back.',
      'A 21.6 sec stop.',
      'A 21.6 secs stop.',
      'A 21.6 second stop.',
      'A 21.6 SECONDS stop.',
      'Car 44 leads by 3 s.',
    ])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('Leclerc is 2.7 s back.', f)).toEqual(bad('figure 2.7 s does not match the context'));
    expect(plain.check('Leclerc is 2.7 back.', f)).toEqual(bad('figure 2.7 does not match the context'));
    expect(plain.check('Leclerc is 4 s back.', f)).toEqual(bad('figure 4 s does not match the context'));
    expect(plain.check('A 25.0 secs stop.', f)).toEqual(bad('figure 25.0 secs does not match the context'));
    for (const unit of ['s', 'sec', 'secs', 'second', 'seconds'])
      expect(plain.check(`A 4 ${unit} gap.`, f), unit).toEqual(
        bad(`figure 4 ${unit} does not match the context`),
      );
    expect(plain.check('The gap is 2.7 — huge.', f)).toEqual(bad('figure 2.7 does not match the context'));
    expect(plain.check('Leclerc is 2.55 s back.', f)).toEqual(ok);
    expect(plain.check('Leclerc is 2.56 s back.', f)).toEqual(
      bad('figure 2.56 s does not match the context'),
    );
  });

  it('a figure exactly at the tolerance passes', () => {
    const edge = facts({ event: event({ details: { delta: 0.500001 } }) }); // 0.5 + 1e-6 from 0
    expect(plain.check('A 0 s margin.', edge)).toEqual(ok);
    expect(plain.check('A 0 s margin.', facts({ event: event({ details: { delta: 0.500002 } }) }))).toEqual(
      bad('figure 0 s does not match the context'),
    );
  });

  it('minutes of more than one digit', () => {
    const long = facts({ event: event({ details: { stint: 725.3 } }) });
    expect(plain.check('A 12:05.3 stint.', long)).toEqual(ok);
    expect(plain.check('A 12:05.9 stint.', long)).toEqual(bad('time 12:05.9 does not match the context'));
  });

  it('the tolerance stops at three decimals', () => {
    expect(plain.check('A 95.1234 s lap.', f)).toEqual(ok);
    expect(plain.check('A 95.1236 s lap.', f)).toEqual(bad('figure 95.1236 s does not match the context'));
  });

  it('tenths are tenths of a second, to a twentieth', () => {
    expect(plain.check('Leclerc is 7 tenths back.', f)).toEqual(ok);
    expect(plain.check('Leclerc is 7 Tenths back.', f)).toEqual(ok);
    expect(plain.check('Leclerc is 8 tenths back.', f)).toEqual(
      bad('figure 8 tenths does not match the context'),
    );
    expect(plain.check('Leclerc is 1 tenth back.', f)).toEqual(
      bad('figure 1 tenth does not match the context'),
    );
  });

  it('a figure glued to a word or a dot is no figure', () => {
    for (const text of ['Leclerc is v2.7s back.', 'Leclerc is 2.7sx back.', 'Leclerc is 2.7x back.'])
      expect(plain.check(text, f), text).toEqual(ok);
  });

  it('a figure may be any number of the context, negative ones by their size', () => {
    const neg = facts({ event: event({ details: { delta: -3.4 } }) });
    expect(plain.check('A 3.4 s swing.', neg)).toEqual(ok);
    expect(plain.check('A 3.5 s swing.', neg)).toEqual(bad('figure 3.5 s does not match the context'));
  });
});

describe('fact checker: tyre compounds', () => {
  it('every compound word, of the drivers named', () => {
    const f = facts({ top: [VER] }); // on mediums
    const words: [string, string][] = [
      ['soft', 'soft'],
      ['medium', 'medium'],
      ['hard', 'hard'],
      ['intermediate', 'intermediate'],
      ['inter', 'intermediate'],
      ['wet', 'wet'],
    ];
    for (const [w, c] of words) {
      const want = c === 'medium' ? ok : bad(`compound ${c} does not match the context`);
      expect(plain.check(`Verstappen would like ${w} tyres.`, f), w).toEqual(want);
      expect(plain.check(`Verstappen would like ${w.toUpperCase()} tyres.`, f), w).toEqual(want);
    }
  });

  it('every phrasing: before tyres/tires/compound/rubber/set/boots, a plural, after "on"', () => {
    const f = facts({ top: [VER] });
    const phrasings = [
      'Verstappen wants soft tyres.',
      'Verstappen wants a soft tyre.',
      'Verstappen wants soft tires.',
      'Verstappen wants a soft tire.',
      'Verstappen wants the soft compound.',
      'Verstappen wants soft rubber.',
      'Verstappen wants a soft set.',
      'Verstappen wants soft boots.',
      'Verstappen wants the softs.',
      'Verstappen goes on soft.',
      'Verstappen goes on a set of soft.',
      'Verstappen goes on the soft.',
      'Verstappen goes on fresh soft.',
      'Verstappen goes on new soft.',
      'Verstappen goes on used soft.',
      'Verstappen goes on old soft.',
      'Verstappen goes on worn soft.',
      'Verstappen goes on a set of the new soft.',
      'Verstappen wants softs.',
      'Verstappen wants soft  tyres.',
    ];
    for (const text of phrasings)
      expect(plain.check(text, f), text).toEqual(bad('compound soft does not match the context'));
    for (const text of [
      'Verstappen has a soft touch.',
      'Verstappen is hardly there.',
      'Verstappen goes on softly.',
      'Verstappen wants soft  approach.',
    ])
      expect(plain.check(text, f), text).toEqual(ok);
  });

  it('a named driver’s compounds are his car’s and those of his own events', () => {
    const ver = car('Verstappen', 'VER', { compound: 'MEDIUM' });
    const lec = car('Leclerc', 'LEC', { compound: 'SOFT' });
    const f = facts({
      top: [ver, lec],
      event: event({
        type: 'pit_stop',
        driver: ver,
        details: { compoundFrom: 'INTERMEDIATE', compoundTo: 'HARD' },
      }),
      alsoInvolved: [event({ type: 'pit_stop', driver: lec, details: { compoundTo: 'WET' } })],
    });
    for (const text of [
      'Verstappen on medium tyres.',
      'Verstappen off the intermediate tyres.',
      'Verstappen switches to hard tyres.',
      'Leclerc on soft tyres.',
      'Leclerc takes wet tyres.',
    ])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('Verstappen takes wet tyres.', f)).toEqual(
      bad('compound wet does not match the context'),
    );
    expect(plain.check('Leclerc takes hard tyres.', f)).toEqual(
      bad('compound hard does not match the context'),
    );
    expect(plain.check('Leclerc takes hard tyres, then softs.', f)).toEqual(
      bad('compound hard does not match the context'),
    );
  });

  it('with nobody named: any compound of the cars and of the events’ changes', () => {
    const f = facts({
      top: [car('Verstappen', 'VER', { compound: 'MEDIUM' })],
      event: event({ details: { compoundTo: 'HARD' } }),
      alsoInvolved: [event({ type: 'pit_stop', details: { compoundFrom: 'SOFT', compoundTo: 7 } })],
    });
    for (const text of ['Some are on medium tyres.', 'Some are on hard tyres.', 'Some are on soft tyres.'])
      expect(plain.check(text, f), text).toEqual(ok);
    expect(plain.check('Some are on wet tyres.', f)).toEqual(bad('compound wet does not match the context'));
    expect(plain.check('Some are on inter tyres.', f)).toEqual(
      bad('compound intermediate does not match the context'),
    );
  });
});

describe('nameBook', () => {
  let db: Db;
  beforeAll(() => {
    db = sharedDb();
  });
  afterAll(() => db?.close());

  it('the surnames and codes of the drivers with a result since a season (2010 by default)', () => {
    const has = (
      b: { drivers: { surname: string; code: string | null }[] },
      surname: string,
      code: string | null,
    ) => b.drivers.some((d) => d.surname === surname && d.code === code);
    const modern = nameBook(db);
    expect(has(modern, 'Verstappen', 'VER')).toBe(true);
    expect(has(modern, 'Pérez', 'PER')).toBe(true);
    expect(has(modern, 'Verstappen', null)).toBe(false); // Jos, last raced 2003
    expect(modern.drivers.some((d) => d.surname === 'Prost')).toBe(false);
    const old = nameBook(db, 1990);
    expect(has(old, 'Prost', null)).toBe(true);
    expect(has(old, 'Verstappen', null)).toBe(true);
    expect(old.drivers.length).toBeGreaterThan(modern.drivers.length);
    expect(new Set(modern.drivers.map((d) => `${d.surname}|${d.code}`)).size).toBe(modern.drivers.length); // distinct
    expect(nameBook(db, 3000)).toEqual({ drivers: [] });
  });
});

describe('RateLimiter', () => {
  const admitted = (rl: RateLimiter, p: Priority, times: number[]) => times.map((t) => rl.admit(p, t));

  it('per minute: LOW floor(n/2), MEDIUM ceil(3n/4), HIGH n, CRITICAL unlimited (n = 7)', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i);
    expect(admitted(new RateLimiter(7), 'LOW', ten).filter(Boolean).length).toBe(3);
    expect(admitted(new RateLimiter(7), 'MEDIUM', ten).filter(Boolean).length).toBe(6);
    expect(admitted(new RateLimiter(7), 'HIGH', ten).filter(Boolean).length).toBe(7);
    expect(admitted(new RateLimiter(7), 'CRITICAL', ten).filter(Boolean).length).toBe(10);
    expect(admitted(new RateLimiter(6), 'MEDIUM', ten).filter(Boolean).length).toBe(5);
    expect(admitted(new RateLimiter(), 'HIGH', ten)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('counts the admitted lines of the last 60 s up to and including this instant, not later ones', () => {
    const rl = new RateLimiter(2); // LOW: one a minute
    expect(rl.admit('LOW', 100)).toBe(true);
    expect(rl.admit('LOW', 100)).toBe(false); // the same instant counts
    expect(rl.admit('LOW', 50)).toBe(true); // an item out of time order: the line at 100 is later
    expect(rl.admit('LOW', 159.9)).toBe(false);
    expect(rl.admit('LOW', 160)).toBe(true);
    const rejected = new RateLimiter(2);
    expect(rejected.admit('HIGH', 0)).toBe(true);
    expect(rejected.admit('HIGH', 1)).toBe(true);
    expect(rejected.admit('HIGH', 2)).toBe(false); // not counted: a rejected line takes no budget
    expect(rejected.admit('HIGH', 60.5)).toBe(true);
    rejected.reset();
    expect(admitted(rejected, 'HIGH', [61, 62, 63])).toEqual([true, true, false]);
  });

  it('remembers the last 200 admitted lines', () => {
    const fill = (perMinute: number) => {
      const rl = new RateLimiter(perMinute);
      for (let i = 0; i < 201; i++) rl.admit('CRITICAL', 1000 + i * 0.1);
      return rl;
    };
    expect(fill(200).admit('HIGH', 1030)).toBe(false); // 200 remembered: the budget is spent
    expect(fill(201).admit('HIGH', 1030)).toBe(true); // the 201st oldest is forgotten
  });
});
