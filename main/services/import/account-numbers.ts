/**
 * The account numbers of an import: the ones rows give (refused if already in use, or already
 * handed to an earlier row of the file that had none), and the ones the counter hands to rows
 * without, skipping numbers of the console's own form (C-1000001 ...) the file gives.
 */
import { accountNumber, accountNumberValue } from '../../db/stores/accounts/account-row';
import type { AccountLoad } from '../../db/stores/imports';
import { ImportFileError } from './file-errors';
import type { ValidRow } from './row-reader';

/** Given numbers looked up in the database at a time. */
const LOOKUP_ROWS = 500;

export class ImportNumbering {
  private nextNumber: number;
  /** The console's own numbers the file gives, as counter values. */
  private readonly givenOwn = new Set<number>();
  private highestOwnNumber = 0;
  /** Numbers given to rows that had none. */
  first: string | null = null;
  last: string | null = null;

  constructor(
    private readonly load: AccountLoad,
    private readonly counterAtStart: number,
  ) {
    this.nextNumber = counterAtStart + 1;
  }

  /** Takes note of the numbers a chunk's rows give, before any of them is numbered. */
  async claimGiven(rows: readonly ValidRow[]): Promise<void> {
    const given = rows.filter((r) => r.number !== null);
    if (given.length === 0) return;
    for (const r of given) {
      const value = accountNumberValue(r.number!);
      if (value === null) continue;
      // Already given to a row of this file that had no number.
      if (value > this.counterAtStart && value < this.nextNumber) {
        throw new ImportFileError(
          `The account number on line ${r.line} was already given to an earlier row of this file that had none, so nothing was imported. Give every row a number, or none.`,
        );
      }
      this.givenOwn.add(value);
      this.highestOwnNumber = Math.max(this.highestOwnNumber, value);
    }
    await this.refuseNumbersInUse(given);
  }

  /** The row's own number, or the next one from the counter that the file does not give. */
  numberOf(row: ValidRow): string {
    if (row.number !== null) return row.number;
    while (this.givenOwn.has(this.nextNumber)) this.nextNumber++;
    const number = accountNumber(this.nextNumber++);
    this.first ??= number;
    this.last = number;
    return number;
  }

  /** The counter's value once the import is written. */
  get counter(): number {
    return Math.max(this.nextNumber - 1, this.highestOwnNumber, this.counterAtStart);
  }

  /** Fails the import, naming the line, when a given account number is already in use. */
  private async refuseNumbersInUse(rows: readonly ValidRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += LOOKUP_ROWS) {
      const slice = rows.slice(i, i + LOOKUP_ROWS);
      const inUse = await this.load.numbersInUse(slice.map((r) => r.number!));
      const clash = slice.find((r) => inUse.has(r.number!));
      if (clash) {
        throw new ImportFileError(
          `The account number on line ${clash.line} is already in use by an account in the database, so nothing was imported. Remove that row, or the accountNumber value, and import again.`,
        );
      }
    }
  }
}
