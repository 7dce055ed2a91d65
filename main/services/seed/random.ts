/**
 * Draws from one random stream (`Random`, uniform in [0, 1)): the seeder reads it directly
 * instead of through faker, whose templates and argument checks cost more than the rest of an
 * account together.
 */
export type Random = () => number;

type Weighted<T> = { weight: number; value: T };

/** A choice by weight, with the cumulative weights computed once. */
export function weighted<T>(table: readonly Weighted<T>[]): (r: Random) => T {
  let total = 0;
  const cumulative = table.map((w) => (total += w.weight));
  return (r) => {
    const x = r() * total;
    for (let i = 0; i < table.length; i++) if (x < cumulative[i]!) return table[i]!.value;
    return table[table.length - 1]!.value;
  };
}

export const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const oneOf = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
export const chance = (r: Random, p: number) => r() < p;

/** One character of `alphabet`. */
export function pick(r: Random, alphabet: string): string {
  return alphabet.charAt(Math.floor(r() * alphabet.length));
}

/** `n` digits, leading zeros kept. */
export function digits(r: Random, n: number): string {
  return String(int(r, 0, 10 ** n - 1)).padStart(n, '0');
}
