/** knex's own SQLite client class, which main/db/sqlcipher.ts subclasses to load SQLCipher. */
declare module 'knex/lib/dialects/sqlite3/index.js' {
  import type { Knex } from 'knex';
  const ClientSQLite3: typeof Knex.Client;
  export default ClientSQLite3;
}
