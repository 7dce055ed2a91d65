/**
 * What a service holds of the database without speaking SQL: an opaque scope (the database, or a
 * transaction) that it passes back to the stores, so several stores' writes commit together.
 * Services import these names, never knex.
 */
import type { Knex } from 'knex';
import { durableTransaction, startDurableTransaction, type DurableTransaction } from '../durable';

/** The database, or a transaction on it. */
export type Scope = Knex | Knex.Transaction;
/** An open transaction. */
export type Tx = Knex.Transaction;
export type { DurableTransaction };

/** Begins and ends transactions for services (plain, or durable: see main/db/durable.ts). */
export class Transactions {
  constructor(private readonly db: Knex) {}

  run<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** A transaction whose commit is on disk when it resolves. */
  durable<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    return durableTransaction(this.db, fn);
  }

  /** A durable transaction the caller commits in the middle of other work. */
  startDurable(): Promise<DurableTransaction> {
    return startDurableTransaction(this.db);
  }
}
