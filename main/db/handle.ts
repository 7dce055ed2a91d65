import type { Knex } from 'knex';

/**
 * The open database as services hold it: they pass it to the stores (main/db/stores), which alone
 * run statements on it. Services never query it themselves.
 */
export type Db = Knex;

/** A transaction on it, passed to the stores whose writes must commit together. */
export type Tx = Knex.Transaction;
