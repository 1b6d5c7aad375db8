// Offline generator: templates with variation for every event type and style, built only from the facts, so they
// always pass the validator. Deterministic under a seed (the same seed + event gives the same line).
import type { CommentaryStyle } from '../../shared/domain.js';
import type { CarFact, EventFact, Facts } from './context.js';
import type { GenerateRequest, Generator } from './generator.js';
import { hashSeed, mulberry32 } from '../util/rng.js';

/** A seeded PRNG stream per (seed, key). */
export const rng = (seed: number, key: string): (() => number) => mulberry32(hashSeed(seed, key));

const s1 = (x: number) => x.toFixed(1);
const s3 = (x: number) => x.toFixed(3);
/** Lap time as m:ss.sss. */
const lapFmt = (x: number) => (x >= 60 ? `${Math.floor(x / 60)}:${(x % 60).toFixed(3).padStart(6, '0')}` : x.toFixed(3));
const who = (c: CarFact | null, fallback = 'a car') => (c ? c.surname : fallback);
const tyre = (c: string | number | boolean | null | undefined) => (typeof c === 'string' && c !== 'UNKNOWN' ? c.toLowerCase() : null);
const num = (v: string | number | boolean | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

type T = (f: Facts, e: EventFact) => string;
type Bank = Record<CommentaryStyle, T[]>;

const pitStop: Bank = {
  technical: [
    (f, e) => {
      const lane = num(e.details.pitLaneTime);
      const from = tyre(e.details.compoundFrom);
      const to = tyre(e.details.compoundTo);
      const age = num(e.details.tyreAgeOld);
      return `${who(e.driver)} pits on lap ${e.lap}${from && age !== null ? `, ${from} tyres ${age} laps old` : ''}${to ? `, switching to ${to}` : ''}${lane !== null ? `; ${s1(lane)} s in the pit lane` : ''}.`;
    },
    (f, e) => `Box, box for ${who(e.driver)} on lap ${e.lap}${tyre(e.details.compoundTo) ? ` — ${tyre(e.details.compoundTo)} tyres fitted` : ''}${num(e.details.position) !== null ? `, he came in from P${num(e.details.position)}` : ''}.`,
  ],
  casual: [
    (f, e) => `${who(e.driver)} heads into the pits on lap ${e.lap}${tyre(e.details.compoundTo) ? ` for a set of ${tyre(e.details.compoundTo)} tyres` : ''}.`,
    (f, e) => `Pit stop for ${who(e.driver)}${e.driver ? ` (${e.driver.team})` : ''} on lap ${e.lap}${num(e.details.position) !== null ? `, giving up P${num(e.details.position)} for now` : ''}.`,
  ],
  dramatic: [
    (f, e) => `${who(e.driver)} dives into the pit lane on lap ${e.lap}${tyre(e.details.compoundTo) ? ` — fresh ${tyre(e.details.compoundTo)} tyres bolted on` : ''}!`,
    (f, e) => `In he comes! ${who(e.driver)} stops on lap ${e.lap}${num(e.details.pitLaneTime) !== null ? `, ${s1(num(e.details.pitLaneTime)!)} seconds through the pit lane` : ''}${num(e.details.position) !== null ? ` from P${num(e.details.position)}` : ''}!`,
  ],
};

const pitBurst = (f: Facts, e: EventFact, style: CommentaryStyle) => {
  const names = [e, ...f.alsoInvolved.filter((x) => x.type === 'pit_stop')].map((x) => who(x.driver));
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  const all = names.length === 2 ? 'both' : 'all';
  if (style === 'technical') return `Pit window open on lap ${e.lap}: ${list} ${all} stop.`;
  if (style === 'casual') return `Busy pit lane on lap ${e.lap} — ${list} ${all} come in.`;
  return `Chaos in the pit lane on lap ${e.lap}! ${list} ${all} pile in!`;
};

const BANKS: Partial<Record<EventFact['type'], Bank>> = {
  pit_stop: pitStop,
  overtake: {
    technical: [
      (f, e) => `${who(e.driver)} passes ${who(e.other)} for P${num(e.details.position) ?? e.driver?.position}${e.details.method === 'drs' ? ' with DRS' : ''} on lap ${e.lap}.`,
      (f, e) => `Lap ${e.lap}: ${who(e.driver)} gets by ${who(e.other)}${num(e.details.gapBefore) !== null ? `, having been ${s1(num(e.details.gapBefore)!)} s behind at the line` : ''}; now P${num(e.details.position) ?? e.driver?.position}.`,
    ],
    casual: [
      (f, e) => `${who(e.driver)} gets past ${who(e.other)} and moves up to P${num(e.details.position) ?? e.driver?.position}.`,
      (f, e) => `Nice move from ${who(e.driver)} on ${who(e.other)}${e.details.method === 'drs' ? ', with a little help from DRS' : ''} — P${num(e.details.position) ?? e.driver?.position} now.`,
    ],
    dramatic: [
      (f, e) => `${who(e.driver)} goes for it and ${who(e.other)} can't hold him! P${num(e.details.position) ?? e.driver?.position}!`,
      (f, e) => `What a move! ${who(e.driver)} ${e.details.method === 'drs' ? 'rockets past on the DRS' : 'muscles past'} ${who(e.other)} on lap ${e.lap}!`,
    ],
  },
  lead_change: {
    technical: [
      (f, e) => `Change of leader on lap ${e.lap}: ${who(e.driver)} now P1 ahead of ${who(e.other)}${e.details.cause === 'pit_cycle' ? ' after the pit cycle' : ''}.`,
    ],
    casual: [(f, e) => `We have a new leader! ${who(e.driver)} takes P1 from ${who(e.other)} on lap ${e.lap}.`],
    dramatic: [
      (f, e) => `${who(e.driver)} takes the lead of the ${f.race}! ${who(e.other)} is dethroned on lap ${e.lap}!`,
      (f, e) => `It's ${who(e.driver)} in front! P1 changes hands on lap ${e.lap} and ${who(e.other)} has to give way!`,
    ],
  },
  safety_car: {
    technical: [(f, e) => `Safety car deployed on lap ${e.lap}${typeof e.details.cause === 'string' ? ` (${e.details.cause.toLowerCase()})` : ''}; the field will bunch up and the pit window opens.`],
    casual: [(f, e) => `The safety car is out on lap ${e.lap}${typeof e.details.cause === 'string' ? ` for a ${e.details.cause.toLowerCase()}` : ''}. Time to catch our breath.`],
    dramatic: [(f, e) => `Safety car! Safety car on lap ${e.lap}! Everything changes now!`],
  },
  vsc: {
    technical: [(f, e) => `Virtual safety car on lap ${e.lap}: delta times to respect, a cheaper stop for anyone who pits now.`],
    casual: [(f, e) => `Virtual safety car on lap ${e.lap}, so everyone slows down for a moment.`],
    dramatic: [(f, e) => `Virtual safety car on lap ${e.lap}! Who gambles on a cheap stop?`],
  },
  red_flag: {
    technical: [(f, e) => `Red flag on lap ${e.lap}; the session is suspended and the cars return to the pit lane.`],
    casual: [(f, e) => `The red flag is out on lap ${e.lap} and the race is stopped.`],
    dramatic: [(f, e) => `Red flag! The race is stopped on lap ${e.lap}!`],
  },
  retirement: {
    technical: [(f, e) => `${who(e.driver)} retires on lap ${e.lap}${typeof e.details.status === 'string' ? ` with ${e.details.status.toLowerCase()}` : ''}${e.details.inPits ? ' in the pits' : ''}.`],
    casual: [(f, e) => `Bad news for ${who(e.driver)}${e.driver ? ` and ${e.driver.team}` : ''}: his race is over on lap ${e.lap}.`],
    dramatic: [(f, e) => `${e.details.crash ? 'Big moment' : 'Heartbreak'} for ${who(e.driver)}! His race ends on lap ${e.lap}!`],
  },
  pit_cycle: {
    technical: [(f, e) => (e.details.kind === 'stop' ? `After the stop ${who(e.driver)} goes from P${num(e.details.from)} to P${num(e.details.to)}.` : `The ${e.details.kind} works for ${who(e.driver)}: ${s1(num(e.details.gapBefore) ?? 0)} s behind ${who(e.other)} before the stops, ${s1(num(e.details.gapAfter) ?? 0)} s ahead after them.`)],
    casual: [(f, e) => (e.details.kind === 'stop' ? `The stop shuffles ${who(e.driver)} from P${num(e.details.from)} to P${num(e.details.to)}.` : `Clever strategy: ${who(e.driver)} gets ahead of ${who(e.other)} through the pit stops with the ${e.details.kind}.`)],
    dramatic: [(f, e) => (e.details.kind === 'stop' ? `The pit cycle bites: ${who(e.driver)} ${(num(e.details.to) ?? 0) > (num(e.details.from) ?? 0) ? 'tumbles' : 'jumps'} from P${num(e.details.from)} to P${num(e.details.to)}!` : `The ${e.details.kind} is done! ${who(e.driver)} leapfrogs ${who(e.other)} in the pits!`)],
  },
  fastest_lap: {
    technical: [(f, e) => `Fastest lap of the race for ${who(e.driver)}: ${lapFmt(num(e.details.lapTime) ?? 0)} on lap ${e.lap}.`],
    casual: [(f, e) => `${who(e.driver)} sets the fastest lap so far, a ${lapFmt(num(e.details.lapTime) ?? 0)}.`],
    dramatic: [(f, e) => `Purple! ${who(e.driver)} blitzes the fastest lap of the race, a ${lapFmt(num(e.details.lapTime) ?? 0)}!`],
  },
  drs_range: {
    technical: [(f, e) => `${who(e.driver)} is into DRS range of ${who(e.other)}: ${s3(num(e.details.interval) ?? 0)} s at the line on lap ${e.lap}.`],
    casual: [(f, e) => `${who(e.driver)} is right behind ${who(e.other)} now, within a second.`],
    dramatic: [(f, e) => `${who(e.driver)} is all over the back of ${who(e.other)}! Inside a second, DRS open!`],
  },
  gap_trend: {
    technical: [
      (f, e) => `${who(e.driver)} ${e.details.direction === 'closing' ? 'is closing on' : 'is dropping back from'} ${who(e.other)} by ${s1(num(e.details.rate) ?? 0)} s per lap; interval now ${s1(num(e.details.interval) ?? 0)} s.`,
    ],
    casual: [(f, e) => (e.details.direction === 'closing' ? `${who(e.driver)} is reeling in ${who(e.other)}, the gap is down to ${s1(num(e.details.interval) ?? 0)} seconds.` : `${who(e.other)} is pulling away from ${who(e.driver)}, ${s1(num(e.details.interval) ?? 0)} seconds between them now.`)],
    dramatic: [(f, e) => (e.details.direction === 'closing' ? `${who(e.driver)} is hunting ${who(e.other)} down, ${s1(num(e.details.rate) ?? 0)} seconds a lap!` : `${who(e.other)} is breaking free of ${who(e.driver)}!`)],
  },
  undercut_threat: {
    technical: [(f, e) => `Undercut threat on lap ${e.lap}: ${who(e.driver)} is ${s1(num(e.details.gap) ?? 0)} s behind ${who(e.other)}, and a stop now would take the place in ${num(e.details.percent)} % of runs.`],
    casual: [(f, e) => `${who(e.driver)} is ${s1(num(e.details.gap) ?? 0)} seconds behind ${who(e.other)}: close enough to try the undercut.`],
    dramatic: [(f, e) => `The undercut is on! ${who(e.driver)} sits ${s1(num(e.details.gap) ?? 0)} seconds behind ${who(e.other)}, box now and he could jump him!`],
  },
  personal_best: {
    technical: [(f, e) => `Personal best for ${who(e.driver)}: ${lapFmt(num(e.details.lapTime) ?? 0)} on lap ${e.lap}.`],
    casual: [(f, e) => `${who(e.driver)} finds some pace with his best lap so far.`],
    dramatic: [(f, e) => `${who(e.driver)} turns up the wick, a personal best!`],
  },
  sector_best: {
    technical: [(f, e) => `Fastest sector ${num(e.details.sector)} of the race for ${who(e.driver)}: ${s3(num(e.details.time) ?? 0)} s.`],
    casual: [(f, e) => `${who(e.driver)} goes purple in sector ${num(e.details.sector)}.`],
    dramatic: [(f, e) => `Purple sector ${num(e.details.sector)} for ${who(e.driver)}!`],
  },
};

const TAGS: Record<CommentaryStyle, ((f: Facts) => string)[]> = {
  technical: [() => '', (f) => ` ${f.lapsToGo} laps to go.`, (f) => (f.leader ? ` ${f.leader.surname} leads.` : '')],
  casual: [() => '', (f) => ` Lap ${f.lap} of ${f.totalLaps}.`],
  dramatic: [() => '', (f) => ` ${f.lapsToGo} laps to go!`],
};

export function offlineLine(facts: Facts, style: CommentaryStyle, seed: number, key: string): string {
  const r = rng(seed, `${key}|${style}`);
  const e = facts.event;
  const pits = facts.alsoInvolved.filter((x) => x.type === 'pit_stop').length;
  let text: string;
  if (e.type === 'pit_stop' && pits > 0) text = pitBurst(facts, e, style);
  else {
    const bank = BANKS[e.type]?.[style] ?? [];
    const t = bank[Math.floor(r() * bank.length)];
    text = t ? t(facts, e) : `Lap ${e.lap}: ${e.type.replace('_', ' ')}.`;
  }
  const tags = TAGS[style];
  const tag = e.priority === 'LOW' ? '' : tags[Math.floor(r() * tags.length)]!(facts);
  return (text + tag).replace(/\s+/g, ' ').trim();
}

export class OfflineGenerator implements Generator {
  readonly name = 'offline' as const;
  constructor(private readonly seed = 1) {}
  generate(req: GenerateRequest): Promise<string> {
    return Promise.resolve(offlineLine(req.facts, req.style, this.seed, req.key));
  }
}
