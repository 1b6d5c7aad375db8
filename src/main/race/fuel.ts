// Fuel-load model: a car starts with START_FUEL_KG and burns it evenly over the scheduled race distance; every kg
// costs FUEL_S_PER_KG seconds a lap (the usual prior, the one FastF1's FuelAdjLapTime assumes).
export const START_FUEL_KG = 110;
export const FUEL_S_PER_KG = 0.03;

/** Fuel on board (kg) at the start of `lap` (1-based) of a `totalLaps` race. */
export function fuelKg(lap: number, totalLaps: number): number {
  if (totalLaps <= 0) return START_FUEL_KG;
  return Math.max(0, START_FUEL_KG * (1 - (lap - 1) / totalLaps));
}

/** Lap time with the fuel effect removed: what the lap would take on an empty tank. */
export function fuelCorrected(lapTime: number, lap: number, totalLaps: number): number {
  return lapTime - FUEL_S_PER_KG * fuelKg(lap, totalLaps);
}

/** Inverse of fuelCorrected: the fuel effect put back for `lap`. */
export function withFuel(correctedTime: number, lap: number, totalLaps: number): number {
  return correctedTime + FUEL_S_PER_KG * fuelKg(lap, totalLaps);
}
