// Validator: fact-checks a generated line against its context (drivers, teams, positions, lap numbers, gaps and
// times, tyre compounds), and limits the rate of lines per minute of race time.
import type { Priority } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import type { CarFact, EventFact, Facts } from './context.js';

export interface Verdict {
  ok: boolean;
  issues: string[];
}

export interface NameBook {
  drivers: { surname: string; code: string | null }[];
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Driver surnames of the modern era, to spot names that are not in the context at all. */
export function nameBook(db: Db, fromSeason = 2010): NameBook {
  const rows = db
    .prepare(
      `SELECT DISTINCT d.surname, d.code FROM drivers d JOIN results r ON r.driver_id = d.driver_id
       JOIN races ra ON ra.race_id = r.race_id WHERE ra.year >= ?`,
    )
    .all(fromSeason) as { surname: string; code: string | null }[];
  return { drivers: rows };
}

const TEAMS: [string, RegExp][] = [
  ['Red Bull', /\bRed Bull\b/i],
  ['Ferrari', /\bFerrari\b/i],
  ['Mercedes', /\bMercedes\b/i],
  ['McLaren', /\bMcLaren\b/i],
  ['Aston Martin', /\bAston Martin\b/i],
  ['Alpine', /\bAlpine\b/i],
  ['Williams', /\bWilliams\b/i],
  ['AlphaTauri', /\b(AlphaTauri|Alpha Tauri|Toro Rosso|Racing Bulls|VCARB)\b/i],
  ['Sauber', /\b(Alfa Romeo|Sauber|Kick)\b/i],
  ['Haas', /\bHaas\b/i],
  ['Racing Point', /\b(Racing Point|Force India)\b/i],
  ['Renault', /\bRenault\b/i],
];
const teamKey = (team: string): string | null => {
  if (/^RB$/i.test(team.trim())) return 'AlphaTauri';
  for (const [k, re] of TEAMS) if (re.test(team)) return k;
  return null;
};

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth'];
const COMPOUND_WORD: Record<string, string> = { soft: 'SOFT', medium: 'MEDIUM', hard: 'HARD', intermediate: 'INTERMEDIATE', inter: 'INTERMEDIATE', wet: 'WET' };

function eventCars(f: Facts): { ev: EventFact; car: CarFact; role: 'driver' | 'other' }[] {
  const out: { ev: EventFact; car: CarFact; role: 'driver' | 'other' }[] = [];
  for (const ev of [f.event, ...f.alsoInvolved]) {
    if (ev.driver) out.push({ ev, car: ev.driver, role: 'driver' });
    if (ev.other) out.push({ ev, car: ev.other, role: 'other' });
  }
  return out;
}

function numbersIn(v: unknown, out: number[]): number[] {
  if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbersIn(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) numbersIn(x, out);
  return out;
}

export class FactChecker {
  private readonly book: { surname: string; re: RegExp; code: string | null }[];

  constructor(book: NameBook = { drivers: [] }) {
    const seen = new Set<string>();
    this.book = [];
    for (const d of book.drivers) {
      const s = fold(d.surname);
      if (seen.has(s) || s.length < 3) continue;
      seen.add(s);
      this.book.push({ surname: s, re: new RegExp(`\\b${esc(s)}\\b`), code: d.code });
    }
  }

  check(text: string, f: Facts): Verdict {
    const issues: string[] = [];
    const body = fold(text);
    if (!body.trim()) return { ok: false, issues: ['empty line'] };
    const cars = new Map<string, CarFact>();
    for (const c of [...f.top, ...(f.leader ? [f.leader] : []), ...eventCars(f).map((x) => x.car)]) cars.set(fold(c.surname), c);
    const evCars = eventCars(f);
    const allNums = numbersIn(f, []);
    const factCompounds = new Set<string>();
    for (const c of cars.values()) factCompounds.add(c.compound);
    for (const e of [f.event, ...f.alsoInvolved]) for (const k of ['compoundFrom', 'compoundTo']) if (typeof e.details[k] === 'string') factCompounds.add(e.details[k] as string);

    for (const sentence of body.split(/(?<=[.!?;])\s+/)) {
      // Drivers: every name mentioned must be in the context.
      const named: CarFact[] = [];
      const mentioned = new Set<string>();
      for (const [s, c] of cars) {
        if (new RegExp(`\\b${esc(s)}\\b`).test(sentence) || new RegExp(`\\b${esc(c.code)}\\b`).test(sentence) || sentence.includes(fold(c.name))) {
          named.push(c);
          mentioned.add(s);
        }
      }
      for (const b of this.book) {
        if (mentioned.has(b.surname) || [...mentioned].some((m) => m.includes(b.surname) || b.surname.includes(m))) continue;
        if (b.re.test(sentence)) issues.push(`driver "${b.surname}" is not in the context`);
      }
      // Teams.
      for (const [k, re] of TEAMS) {
        if (!re.test(sentence)) continue;
        const inFacts = [...cars.values()].some((c) => teamKey(c.team) === k) || f.race.includes(k);
        if (!inFacts) issues.push(`team "${k}" is not in the context`);
      }
      // Positions, tied to the drivers named in the same sentence.
      const positions: number[] = [];
      for (const m of sentence.matchAll(/\bP(\d{1,2})\b/g)) positions.push(Number(m[1]));
      for (const m of sentence.matchAll(/\b(\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:lap|sector))/gi)) if (!fold(f.race).includes(m[0])) positions.push(Number(m[1])); // "70th Anniversary" is a name
      for (const m of sentence.matchAll(new RegExp(`\\b(${ORDINAL_WORDS.join('|')})\\s+(?:place|position)\\b`, 'gi'))) positions.push(ORDINAL_WORDS.indexOf(m[1]!.toLowerCase()) + 1);
      if (positions.length) {
        const scope = named.length ? named : [...cars.values()];
        const allowed = new Set<number>();
        for (const c of scope) {
          allowed.add(c.position);
          for (const x of evCars.filter((x) => x.car.code === c.code)) {
            for (const k of ['position', 'from', 'to']) {
              const v = x.ev.details[k];
              if (typeof v !== 'number') continue;
              allowed.add(v);
              if (x.role === 'other' && k === 'position') allowed.add(v + 1); // the passed car now sits one place back
            }
          }
        }
        for (const p of positions) if (!allowed.has(p)) issues.push(`position P${p} does not match the context${named.length ? ` for ${named.map((c) => c.surname).join('/')}` : ''}`);
      }
      // Lap numbers.
      const lapSet = new Set<number>([f.lap, f.totalLaps, f.event.lap, ...f.alsoInvolved.map((e) => e.lap)]);
      for (const e of [f.event, ...f.alsoInvolved]) for (const [k, v] of Object.entries(e.details)) if (/lap/i.test(k) && typeof v === 'number') lapSet.add(v);
      for (const m of sentence.matchAll(/\blap (\d{1,3})\b/gi)) if (!lapSet.has(Number(m[1]))) issues.push(`lap ${m[1]} does not match the context`);
      for (const m of sentence.matchAll(/\b(\d{1,3}) laps? (?:to go|remaining|left)\b/gi)) if (Math.abs(Number(m[1]) - f.lapsToGo) > 1) issues.push(`${m[1]} laps to go does not match (${f.lapsToGo})`);
      for (const m of sentence.matchAll(/\b(\d{1,3})[ -]laps?[ -]old\b/gi)) if (!allNums.includes(Number(m[1]))) issues.push(`tyre age ${m[1]} laps does not match the context`);
      // Gaps and times (m:ss.sss, decimals, "N seconds").
      const stripped = sentence.replace(/\b(\d+):(\d{2}(?:\.\d+)?)\b/g, (_all, mm: string, ss: string) => {
        const v = Number(mm) * 60 + Number(ss);
        if (!this.near(v, ss.split('.')[1]?.length ?? 0, allNums)) issues.push(`time ${mm}:${ss} does not match the context`);
        return ' ';
      });
      for (const m of stripped.matchAll(/(?<![\w.])(\d{1,4}(?:\.(\d+))?)\s*(s|sec|secs|seconds?|tenths?)?(?![\w.])/gi)) {
        const decimals = m[2]?.length ?? 0;
        const unit = m[3]?.toLowerCase();
        if (!decimals && !unit) continue; // plain integers: positions, laps and years are checked above
        let v = Number(m[1]);
        if (unit?.startsWith('tenth')) v /= 10;
        if (!this.near(v, unit?.startsWith('tenth') ? 1 : decimals, allNums)) issues.push(`figure ${m[0].trim()} does not match the context`);
      }
      // Tyre compounds.
      const compounds: string[] = [];
      for (const m of sentence.matchAll(/\b(soft|medium|hard|intermediate|inter|wet)s?\b(?=\s+(?:tyres?|tires?|compound|rubber|set|boots))/gi)) compounds.push(COMPOUND_WORD[m[1]!.toLowerCase()]!);
      for (const m of sentence.matchAll(/\b(soft|medium|hard|intermediate|inter|wet)s\b/gi)) compounds.push(COMPOUND_WORD[m[1]!.toLowerCase()]!);
      for (const m of sentence.matchAll(/\bon (?:a set of )?(?:the )?(?:fresh |new |used |old |worn )?(soft|medium|hard|intermediate|inter|wet)s?\b/gi)) compounds.push(COMPOUND_WORD[m[1]!.toLowerCase()]!);
      for (const c of new Set(compounds)) {
        const scope = named.length ? new Set(named.flatMap((n) => [n.compound, ...evCars.filter((x) => x.car.code === n.code).flatMap((x) => [x.ev.details.compoundFrom, x.ev.details.compoundTo])])) : factCompounds;
        if (!scope.has(c)) issues.push(`compound ${c.toLowerCase()} does not match the context`);
      }
    }
    return { ok: issues.length === 0, issues: [...new Set(issues)] };
  }

  private near(v: number, decimals: number, nums: number[]): boolean {
    const tol = 0.5 * 10 ** -Math.min(decimals, 3) + 1e-6;
    return nums.some((n) => Math.abs(Math.abs(n) - v) <= tol);
  }
}

/**
 * At most `perMinute` lines per minute of race time. CRITICAL always passes; under pressure LOW goes first (it may
 * use only half the budget), then MEDIUM (three quarters), then HIGH.
 */
export class RateLimiter {
  private readonly times: number[] = [];
  constructor(readonly perMinute = 6) {}

  admit(priority: Priority, raceTime: number): boolean {
    // Lines in the minute before `raceTime` (items may arrive out of time order when priorities reorder them).
    while (this.times.length > 200) this.times.shift();
    const n = this.times.filter((x) => x > raceTime - 60 && x <= raceTime).length;
    const cap = priority === 'CRITICAL' ? Infinity : priority === 'HIGH' ? this.perMinute : priority === 'MEDIUM' ? Math.ceil(this.perMinute * 0.75) : Math.floor(this.perMinute / 2);
    if (n >= cap) return false;
    this.times.push(raceTime);
    return true;
  }

  reset(): void {
    this.times.length = 0;
  }
}
