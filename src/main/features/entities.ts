// Built-in entities. Keys: driver = Ergast driverRef, constructor = constructorRef, circuit = circuitRef,
// race = "<season>-<round>" (e.g. "2023-1"); composite entities join several keys.
import { DataError } from '../data/errors.js';
import type { Entity } from './types.js';

export const ENTITIES: Entity[] = [
  { name: 'driver', keys: ['driver'], description: 'a driver, by Ergast driverRef (max_verstappen)' },
  { name: 'constructor', keys: ['constructor'], description: 'a team, by Ergast constructorRef (red_bull)' },
  { name: 'circuit', keys: ['circuit'], description: 'a circuit, by Ergast circuitRef (monza)' },
  { name: 'race', keys: ['race'], description: 'a grand prix, "<season>-<round>" (2023-1)' },
  { name: 'driver_race', keys: ['race', 'driver'], description: 'a driver’s entry in one race' },
  { name: 'stint', keys: ['race', 'driver', 'stint'], description: 'one tyre stint of a driver in a race' },
  {
    name: 'lap',
    keys: ['race', 'driver', 'lap'],
    description: 'one race lap of a driver (lap = lap number)',
  },
];

export function entityOf(e: string | Entity): Entity {
  if (typeof e !== 'string') return e;
  const found = ENTITIES.find((x) => x.name === e);
  if (!found) throw new DataError(`unknown entity "${e}" (known: ${ENTITIES.map((x) => x.name).join(', ')})`);
  return found;
}
