/** "Test connection" against the real throwaway PostgreSQL cluster (pg project only). */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { testConnection } from '../../main/services/connection';
import { createPgTestDatabase } from '../support/backend';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('test connection', () => {
  it('reports success with the server version, and plain-words failures', async () => {
    const db = await createPgTestDatabase();
    try {
      const c = db.config.connection as {
        host: string;
        port: number;
        user: string;
        database: string;
      };
      const base = {
        mode: 'pg' as const,
        host: c.host,
        port: c.port,
        user: c.user,
        database: c.database,
        tls: 'disable' as const,
      };
      const ok = await testConnection(base, () => undefined);
      expect(ok).toMatchObject({ ok: true });
      expect(ok.message).toMatch(/Connected to PostgreSQL 15/);
      const noDb = await testConnection({ ...base, database: 'no_such_db' }, () => undefined);
      expect(noDb).toEqual({
        ok: false,
        message: 'The server has no database named "no_such_db".',
      });
      const port = await freePort();
      const refused = await testConnection({ ...base, port }, () => undefined);
      expect(refused.message).toMatch(
        new RegExp(`Nothing is accepting connections at 127.0.0.1:${port}`),
      );
      const tls = await testConnection({ ...base, tls: 'require' }, () => undefined);
      expect(tls.ok).toBe(false);
      expect(tls.message).toMatch(/does not offer TLS/);
    } finally {
      await db.drop();
    }
  });
});
