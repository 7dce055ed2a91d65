/**
 * A one-off connection to a PostgreSQL server, to tell whoever sets up a team connection
 * whether the settings work before they are saved.
 */
import knexFactory from 'knex';
import { QUIET_KNEX_LOG } from './connect';

/** Connects once with `connection` (pg's settings) and answers the server's version. */
export async function postgresServerVersion(connection: Record<string, unknown>): Promise<string> {
  const db = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 1 },
    log: QUIET_KNEX_LOG,
  });
  try {
    const result = await db.raw("select current_setting('server_version') as v");
    return String(result.rows[0].v);
  } finally {
    await db.destroy();
  }
}
