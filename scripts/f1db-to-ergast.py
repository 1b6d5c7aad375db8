#!/usr/bin/env python3
"""An Ergast-format export of seasons the bundled data lacks, built from F1DB's YAML (https://github.com/f1db/f1db,
CC BY 4.0), for checking PitWall on newer seasons with `pitwall import --ergast OUT` (development only: nothing at
run time reads it, and no test depends on it).

usage: f1db-to-ergast.py F1DB_CLONE ERGAST_DIR OUT_DIR [--seasons 2025-2026] [--status jolpica|detailed]

ERGAST_DIR is the bundled export (plain or .csv.gz); OUT_DIR gets a copy with the new seasons appended. Ids continue
after the bundled ones; drivers match the bundled ones by birth date and surname (contained: Sainz in "Sainz Jr."), circuits by position (< 15 km of one raced since 2019, else < 3 km),
constructors by a short rename table. --status jolpica (default) writes statuses as Jolpica serves seasons from 2024
on (Finished, Lapped, Retired, Disqualified, Did not start); --status detailed writes Ergast's older style
(+1 Lap, and F1DB's retirement reason)."""
import csv, gzip, math, os, re, subprocess, sys, unicodedata
import yaml

args, opts, it = [], {}, iter(sys.argv[1:])
for a in it:
    if a.startswith('--'): opts[a] = next(it, '')
    else: args.append(a)
if len(args) < 3: sys.exit(__doc__)
GIT, ERG, OUT = args[:3]
if os.path.isdir(os.path.join(GIT, '.git')): GIT = os.path.join(GIT, '.git')  # a clone's work tree, or a bare mirror
lo, hi = map(int, opts.get('--seasons', '2025-2026').split('-'))
STYLE = opts.get('--status', 'jolpica')
N = '\\N'


def git_ls(path):
    out = subprocess.run(['git', '--git-dir', GIT, 'ls-tree', '--name-only', 'HEAD', path + '/'], capture_output=True, text=True, check=True).stdout
    return [l for l in out.splitlines() if l]


def git_yaml(path):
    r = subprocess.run(['git', '--git-dir', GIT, 'show', f'HEAD:{path}'], capture_output=True, text=True)
    return yaml.safe_load(r.stdout) if r.returncode == 0 else None


def read(name):
    p = os.path.join(ERG, name)
    f = gzip.open(p + '.gz', 'rt', encoding='utf-8', newline='') if os.path.exists(p + '.gz') else open(p, newline='', encoding='utf-8')
    rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


tables = {n: read(n + '.csv') for n in ['races', 'results', 'qualifying', 'sprint_results', 'drivers', 'constructors', 'circuits', 'status', 'driver_standings', 'constructor_standings']}
new = {n: [] for n in tables}
next_id = {n: max((int(r[h[0]]) for r in rs), default=0) + 1 for n, (h, rs) in tables.items()}


def take(name):
    i = next_id[name]; next_id[name] += 1; return str(i)


def ascii_low(s):
    return unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode().lower()


def v(x):
    return N if x is None or x == '' else str(x)


# drivers: birth date + surname, else a new Jolpica-style ref (surname)
drv_by_dob = {}
for r in tables['drivers'][1]: drv_by_dob.setdefault(r['dob'], []).append(r)
drv_refs = {r['driverRef'] for r in tables['drivers'][1]}
drv_ids = {}
def driver(fid):
    if fid in drv_ids: return drv_ids[fid]
    d = git_yaml(f'src/data/drivers/{fid}.yml')
    same = [r for r in drv_by_dob.get(str(d['dateOfBirth']), []) if ascii_low(r['surname']) in ascii_low(d['lastName'])]
    if same: drv_ids[fid] = same[0]['driverId']; return drv_ids[fid]
    ref = re.sub(r'[^a-z]+', '_', ascii_low(d['lastName'])).strip('_')
    if ref in drv_refs: ref = re.sub(r'[^a-z]+', '_', ascii_low(d['firstName'] + ' ' + d['lastName'])).strip('_')
    i = take('drivers'); drv_refs.add(ref); drv_ids[fid] = i
    new['drivers'].append({'driverId': i, 'driverRef': ref, 'number': v(d.get('permanentNumber')), 'code': v(d.get('abbreviation')),
        'forename': d['firstName'], 'surname': d['lastName'], 'dob': str(d['dateOfBirth']), 'nationality': str(d.get('nationalityCountryId', '')).title(),
        'url': f'https://en.wikipedia.org/wiki/{d["name"].replace(" ", "_")}'})
    return i


RENAME = {'red-bull': 'red_bull', 'aston-martin': 'aston_martin', 'kick-sauber': 'sauber', 'racing-bulls': 'rb'}
con_by_ref = {r['constructorRef']: r['constructorId'] for r in tables['constructors'][1]}
def constructor(fid):
    ref = RENAME.get(fid, fid.replace('-', '_'))
    if ref in con_by_ref: return con_by_ref[ref]
    c = git_yaml(f'src/data/constructors/{fid}.yml')
    i = take('constructors'); con_by_ref[ref] = i
    new['constructors'].append({'constructorId': i, 'constructorRef': ref, 'name': c['name'], 'nationality': str(c.get('countryId', '')).title(),
        'url': f'https://en.wikipedia.org/wiki/{c["name"].replace(" ", "_")}'})
    return i


cir_ids = {}
recent = {r['circuitId'] for r in tables['races'][1] if int(r['year']) >= 2019}
def circuit(fid):
    if fid in cir_ids: return cir_ids[fid]
    c = git_yaml(f'src/data/circuits/{fid}.yml')
    lat, lng = float(c['latitude']), float(c['longitude'])
    def km(r):
        dy = (float(r['lat']) - lat) * 111.0; dx = (float(r['lng']) - lng) * 111.0 * math.cos(math.radians(lat)); return math.hypot(dx, dy)
    near = [r for r in tables['circuits'][1] if r['circuitId'] in recent and km(r) < 15] or [r for r in tables['circuits'][1] if km(r) < 3]
    if near: cir_ids[fid] = min(near, key=km)['circuitId']; return cir_ids[fid]
    i = take('circuits'); cir_ids[fid] = i
    new['circuits'].append({'circuitId': i, 'circuitRef': fid.replace('-', '_'), 'name': c['fullName'], 'location': c['placeName'],
        'country': str(c['countryId']).replace('-', ' ').title(), 'lat': str(lat), 'lng': str(lng), 'alt': N, 'url': N})
    return i


status_ids = {r['status']: r['statusId'] for r in tables['status'][1]}
def status(text):
    if text not in status_ids:
        i = take('status'); status_ids[text] = i; new['status'].append({'statusId': i, 'status': text})
    return status_ids[text]


def ms(t):
    if not t: return None
    parts = str(t).split(':')
    s = float(parts[-1]) + (int(parts[-2]) * 60 if len(parts) > 1 else 0) + (int(parts[-3]) * 3600 if len(parts) > 2 else 0)
    return round(s * 1000)


def hhmm(t):
    return N if t is None else (f'{t // 60:02d}:{t % 60:02d}:00' if isinstance(t, int) else f'{t}:00')


def classification(rows, race_id, table, with_rank):
    win_laps = max((r.get('laps') or 0) for r in rows) if rows else 0
    win_ms = ms(rows[0].get('time')) if rows else None
    for k, r in enumerate(rows):
        p = r['position']; num = isinstance(p, int)
        lapped = num and (r.get('laps') or 0) < win_laps
        behind = win_laps - (r.get('laps') or 0)
        jolpica = STYLE == 'jolpica'
        st = ('Finished' if not lapped else 'Lapped' if jolpica else f'+{behind} Lap{"s" if behind > 1 else ""}') if num else \
            {'DSQ': 'Disqualified', 'DNS': 'Did not start'}.get(p, 'Retired' if jolpica else r.get('reasonRetired') or 'Retired')
        t = ms(r.get('time')) if num and not lapped else None
        g = r.get('gridPosition')
        row = {'resultId': take(table), 'raceId': race_id, 'driverId': driver(r['driverId']), 'constructorId': constructor(r['constructorId']),
               'number': v(r.get('driverNumber')), 'grid': '0' if g in (None, 'PL') or not isinstance(g, int) else str(g),
               'position': str(p) if num else N, 'positionText': str(p) if num else {'DSQ': 'D', 'DNS': 'W', 'NC': 'N'}.get(p, 'R'),
               'positionOrder': str(k + 1), 'points': v(r.get('points') or 0), 'laps': str(r.get('laps') or 0),
               'time': N if t is None else (str(r['time']) if k == 0 else f'+{(t - win_ms) / 1000:.3f}'), 'milliseconds': v(t),
               'fastestLap': N, 'rank': N, 'fastestLapTime': N, 'fastestLapSpeed': N, 'statusId': status(st)}
        if not with_rank: row.pop('rank'); row.pop('fastestLapSpeed')
        new[table].append(row)


def standings(rows, race_id, key, table, wins):
    for r in rows or []:
        ident = driver(r['driverId']) if key == 'driverId' else constructor(r['constructorId'])
        new[table].append({f'{"driver" if key == "driverId" else "constructor"}StandingsId': take(table), 'raceId': race_id, key: ident,
                           'points': v(r.get('points') or 0), 'position': str(r['position']), 'positionText': str(r['position']), 'wins': str(wins.get(ident, 0))})


for season in range(lo, hi + 1):
    dwins, cwins = {}, {}
    for rdir in git_ls(f'src/data/seasons/{season}/races'):
        race = git_yaml(f'{rdir}/race.yml')
        results = git_yaml(f'{rdir}/race-results.yml')
        if not results: continue  # not run yet (the export is of finished races)
        gp = git_yaml(f'src/data/grands-prix/{race["grandPrixId"]}.yml')
        rid = take('races')
        new['races'].append({'raceId': rid, 'year': str(season), 'round': str(race['round']), 'circuitId': circuit(race['circuitId']),
            'name': gp['fullName'], 'date': str(race['date']), 'time': hhmm(race.get('time')),
            'url': f'https://en.wikipedia.org/wiki/{season}_{gp["fullName"].replace(" ", "_")}',
            'fp1_date': v(race.get('freePractice1Date')), 'fp1_time': hhmm(race.get('freePractice1Time')) if race.get('freePractice1Date') else N,
            'fp2_date': v(race.get('freePractice2Date')), 'fp2_time': hhmm(race.get('freePractice2Time')) if race.get('freePractice2Date') else N,
            'fp3_date': v(race.get('freePractice3Date')), 'fp3_time': hhmm(race.get('freePractice3Time')) if race.get('freePractice3Date') else N,
            'quali_date': v(race.get('qualifyingDate')), 'quali_time': hhmm(race.get('qualifyingTime')) if race.get('qualifyingDate') else N,
            'sprint_date': v(race.get('sprintRaceDate')), 'sprint_time': hhmm(race.get('sprintRaceTime')) if race.get('sprintRaceDate') else N})
        classification(results, rid, 'results', True)
        sprint = git_yaml(f'{rdir}/sprint-race-results.yml')
        if sprint: classification(sprint, rid, 'sprint_results', False)
        for k, q in enumerate(git_yaml(f'{rdir}/qualifying-results.yml') or []):
            new['qualifying'].append({'qualifyId': take('qualifying'), 'raceId': rid, 'driverId': driver(q['driverId']), 'constructorId': constructor(q['constructorId']),
                'number': v(q.get('driverNumber')), 'position': str(q['position'] if isinstance(q['position'], int) else k + 1),
                'q1': v(q.get('q1') or q.get('time')), 'q2': v(q.get('q2')), 'q3': v(q.get('q3'))})
        w = results[0]
        dwins[driver(w['driverId'])] = dwins.get(driver(w['driverId']), 0) + 1
        cwins[constructor(w['constructorId'])] = cwins.get(constructor(w['constructorId']), 0) + 1
        standings(git_yaml(f'{rdir}/driver-standings.yml'), rid, 'driverId', 'driver_standings', dwins)
        standings(git_yaml(f'{rdir}/constructor-standings.yml'), rid, 'constructorId', 'constructor_standings', cwins)

os.makedirs(OUT, exist_ok=True)
for name in os.listdir(ERG):
    if name.endswith('.csv.gz') and name[:-3][:-4] not in tables:
        with gzip.open(os.path.join(ERG, name), 'rb') as f, open(os.path.join(OUT, name[:-3]), 'wb') as g: g.write(f.read())
    elif name.endswith('.csv') and name[:-4] not in tables:
        with open(os.path.join(ERG, name), 'rb') as f, open(os.path.join(OUT, name), 'wb') as g: g.write(f.read())
for n, (head, rows) in tables.items():
    with open(os.path.join(OUT, n + '.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(head)
        for r in rows + new[n]: w.writerow([r.get(h, N) for h in head])
print({n: len(rs) for n, rs in new.items()}, file=sys.stderr)
