// Schema of the raw tables, as ordered migrations. PRAGMA user_version holds the schema version.
export const MIGRATIONS: string[] = [
  /* 1: raw Ergast + FastF1 tables */ `
  CREATE TABLE circuits (circuit_id INTEGER PRIMARY KEY, circuit_ref TEXT NOT NULL UNIQUE, name TEXT, location TEXT,
    country TEXT, lat REAL, lng REAL, alt REAL);
  CREATE TABLE drivers (driver_id INTEGER PRIMARY KEY, driver_ref TEXT NOT NULL UNIQUE, number INTEGER, code TEXT,
    forename TEXT, surname TEXT, dob TEXT, nationality TEXT);
  CREATE TABLE constructors (constructor_id INTEGER PRIMARY KEY, constructor_ref TEXT NOT NULL UNIQUE, name TEXT,
    nationality TEXT);
  CREATE TABLE status (status_id INTEGER PRIMARY KEY, status TEXT);
  CREATE TABLE seasons (year INTEGER PRIMARY KEY);
  CREATE TABLE races (race_id INTEGER PRIMARY KEY, year INTEGER NOT NULL, round INTEGER NOT NULL, circuit_id INTEGER,
    name TEXT, date TEXT, time TEXT, fp1_date TEXT, fp1_time TEXT, fp2_date TEXT, fp2_time TEXT, fp3_date TEXT,
    fp3_time TEXT, quali_date TEXT, quali_time TEXT, sprint_date TEXT, sprint_time TEXT,
    start_utc TEXT NOT NULL, UNIQUE (year, round));
  CREATE TABLE results (result_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL, driver_id INTEGER NOT NULL,
    constructor_id INTEGER, number INTEGER, grid INTEGER, position INTEGER, position_text TEXT, position_order INTEGER,
    points REAL, laps INTEGER, time TEXT, milliseconds INTEGER, fastest_lap INTEGER, rank INTEGER,
    fastest_lap_time TEXT, fastest_lap_speed REAL, status_id INTEGER);
  CREATE INDEX results_race ON results (race_id);
  CREATE INDEX results_driver ON results (driver_id);
  CREATE TABLE sprint_results (result_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL, driver_id INTEGER NOT NULL,
    constructor_id INTEGER, number INTEGER, grid INTEGER, position INTEGER, position_text TEXT, position_order INTEGER,
    points REAL, laps INTEGER, time TEXT, milliseconds INTEGER, fastest_lap INTEGER, fastest_lap_time TEXT,
    status_id INTEGER, rank INTEGER);
  CREATE TABLE qualifying (qualify_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL, driver_id INTEGER NOT NULL,
    constructor_id INTEGER, number INTEGER, position INTEGER, q1 TEXT, q2 TEXT, q3 TEXT, best_ms INTEGER);
  CREATE INDEX qualifying_race ON qualifying (race_id);
  CREATE TABLE pit_stops (race_id INTEGER NOT NULL, driver_id INTEGER NOT NULL, stop INTEGER NOT NULL, lap INTEGER,
    time TEXT, duration REAL, milliseconds INTEGER, PRIMARY KEY (race_id, driver_id, stop));
  CREATE TABLE driver_standings (driver_standings_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL,
    driver_id INTEGER NOT NULL, points REAL, position INTEGER, position_text TEXT, wins INTEGER);
  CREATE INDEX driver_standings_race ON driver_standings (race_id);
  CREATE TABLE constructor_standings (constructor_standings_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL,
    constructor_id INTEGER NOT NULL, points REAL, position INTEGER, position_text TEXT, wins INTEGER);
  CREATE INDEX constructor_standings_race ON constructor_standings (race_id);
  CREATE TABLE constructor_results (constructor_results_id INTEGER PRIMARY KEY, race_id INTEGER NOT NULL,
    constructor_id INTEGER NOT NULL, points REAL, status TEXT);
  CREATE TABLE safety_cars (race_name TEXT NOT NULL, cause TEXT, deployed INTEGER, retreated REAL, full_laps INTEGER,
    race_id INTEGER);
  CREATE INDEX safety_cars_race ON safety_cars (race_id);
  CREATE TABLE red_flags (race_name TEXT NOT NULL, lap INTEGER, resumed TEXT, incident TEXT, excluded TEXT,
    race_id INTEGER);
  CREATE INDEX red_flags_race ON red_flags (race_id);
  CREATE TABLE vsc_laps (race_name TEXT NOT NULL, lap INTEGER NOT NULL, race_id INTEGER, PRIMARY KEY (race_name, lap));
  CREATE TABLE laps (season INTEGER NOT NULL, round INTEGER NOT NULL, session TEXT NOT NULL, driver TEXT NOT NULL,
    lap_number INTEGER NOT NULL, driver_number INTEGER, driver_ref TEXT, time_s REAL, lap_time_s REAL, stint INTEGER,
    pit_out_s REAL, pit_in_s REAL, is_personal_best INTEGER, compound TEXT, tyre_life REAL, fresh_tyre INTEGER,
    team TEXT, track_status TEXT, position INTEGER, is_accurate INTEGER, event_name TEXT, is_slick INTEGER,
    compound_name TEXT, is_valid INTEGER, fuel_adj_lap_time REAL, sector1_s REAL, sector2_s REAL, sector3_s REAL,
    speed_i1 REAL, speed_i2 REAL, speed_fl REAL, speed_st REAL, lap_start_s REAL, deleted INTEGER,
    PRIMARY KEY (season, round, session, driver, lap_number)) WITHOUT ROWID;
  CREATE TABLE compound_selection (season INTEGER NOT NULL, round INTEGER NOT NULL, compounds TEXT NOT NULL,
    PRIMARY KEY (season, round));
  CREATE TABLE imports (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, files INTEGER,
    rows INTEGER, finished_at TEXT NOT NULL);
  `,
  /* 2: track status in its canonical form (race/track-status.ts): no '.0' float suffix, NULL for empty */ `
  UPDATE laps SET track_status = substr(track_status, 1, length(track_status) - 2) WHERE track_status LIKE '%.0';
  UPDATE laps SET track_status = NULL WHERE trim(track_status) = '';
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
