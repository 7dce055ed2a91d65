/**
 * faker, and only here: fakers per country that share one random stream, so one seed fixes
 * every value, and pools of names, streets, cities and regions drawn from them once. faker is a
 * devDependency the app does not ship (test/unit/main-bundles.test.ts): only the CLI's seed
 * command reaches this module, lazily.
 */
import {
  Faker,
  base,
  de,
  en,
  en_CA,
  en_GB,
  en_US,
  generateMersenne53Randomizer,
} from '@faker-js/faker';
import type { SeedCountry } from './distributions';
import type { Random } from './random';

/**
 * faker's templates and argument checks cost more than the rest of an account together, so
 * accounts are put together from the pools with the same random stream read directly (`random`).
 */
export interface AccountFaker {
  readonly faker: Faker;
  readonly byCountry: Readonly<Record<SeedCountry, Faker>>;
  readonly pools: Readonly<Record<SeedCountry, Pools>>;
  readonly random: Random;
}

export interface Pools {
  lastNames: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
  femaleNames: readonly string[];
  maleNames: readonly string[];
  regions: readonly string[];
}

const POOL_SIZES = {
  lastNames: 1500,
  streets: 1000,
  cities: 500,
  femaleNames: 400,
  maleNames: 400,
  regions: 300,
};

export function createAccountFaker(seed: number): AccountFaker {
  const randomizer = generateMersenne53Randomizer(seed);
  const make = (locale: typeof en_US) => new Faker({ locale: [locale, en, base], randomizer });
  const byCountry = { US: make(en_US), GB: make(en_GB), CA: make(en_CA), DE: make(de) };
  const draw = <T>(n: number, fn: () => T): T[] => Array.from({ length: n }, fn);
  const pool = (f: Faker, country: SeedCountry): Pools => ({
    lastNames: draw(POOL_SIZES.lastNames, () => f.person.lastName()),
    streets: draw(POOL_SIZES.streets, () => f.location.street()),
    cities: draw(POOL_SIZES.cities, () => f.location.city()),
    femaleNames: draw(POOL_SIZES.femaleNames, () => f.person.firstName('female')),
    maleNames: draw(POOL_SIZES.maleNames, () => f.person.firstName('male')),
    regions: draw(POOL_SIZES.regions, () =>
      country === 'GB' ? f.location.county() : f.location.state({ abbreviated: country !== 'DE' }),
    ),
  });
  return {
    faker: make(en_US),
    byCountry,
    pools: {
      US: pool(byCountry.US, 'US'),
      GB: pool(byCountry.GB, 'GB'),
      CA: pool(byCountry.CA, 'CA'),
      DE: pool(byCountry.DE, 'DE'),
    },
    random: () => randomizer.next(),
  };
}
