// The benchmark matrix shared by bench:train and bench:gbdt: race laps × 12 features, target lap_time_s, in the
// import's order (season, round, driver, lap).
export const FEATS = [
  'lap_number',
  'tyre_life',
  'stint',
  'position',
  'fresh_tyre',
  'compound_code',
  'compound_name_code',
  'season',
  'round',
  'green',
  'is_accurate',
  'driver_number',
];

/** All race laps with a lap time under 200 s: { x (Float32Array, row-major), y (Float64Array), rows, cols }. */
export function lapMatrix(db) {
  const laps = db
    .prepare(
      `SELECT lap_number, tyre_life, stint, position, fresh_tyre,
         CASE compound WHEN 'SOFT' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HARD' THEN 2 WHEN 'INTERMEDIATE' THEN 3 WHEN 'WET' THEN 4 END AS compound_code,
         CAST(substr(compound_name, 2) AS INTEGER) AS compound_name_code, season, round,
         track_status = '1' AS green, is_accurate, driver_number, lap_time_s
       FROM laps WHERE session = 'race' AND lap_time_s IS NOT NULL AND lap_time_s < 200 ORDER BY season, round, driver, lap_number`,
    )
    .raw()
    .all();
  const rows = laps.length;
  const cols = FEATS.length;
  const x = new Float32Array(rows * cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const l = laps[r];
    for (let f = 0; f < cols; f++) x[r * cols + f] = l[f] ?? NaN;
    y[r] = l[cols];
  }
  return { x, y, rows, cols };
}
