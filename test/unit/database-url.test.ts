import { describe, expect, it } from 'vitest';
import {
  DatabaseUrlError,
  databaseConfigFromEnv,
  parseDatabaseUrl,
  redactDatabaseUrl,
} from '../../main/db/database-url';

const noFile = (file: string): string => {
  throw new Error(`no such file ${file}`);
};

describe('parseDatabaseUrl', () => {
  it('reads user, password, host, port and database, percent-decoded', () => {
    const c = parseDatabaseUrl(
      'postgres://custodian:p%40ss%2Fw%3Ard@db.example.com:6543/team%20db',
    );
    expect(c.client).toBe('pg');
    expect(c.connection).toMatchObject({
      host: 'db.example.com',
      port: 6543,
      user: 'custodian',
      password: 'p@ss/w:rd',
      database: 'team db',
    });
  });

  it('accepts postgresql:// and defaults the port to 5432', () => {
    const c = parseDatabaseUrl('postgresql://u@10.0.0.5/custodian?sslmode=require');
    expect(c.connection).toMatchObject({ host: '10.0.0.5', port: 5432, database: 'custodian' });
    expect(c.connection.password).toBeUndefined();
  });

  it('reads IPv6 hosts without their brackets', () => {
    const c = parseDatabaseUrl('postgres://u@[::1]:5433/custodian');
    expect(c.connection).toMatchObject({ host: '::1', port: 5433 });
  });

  it('takes a Unix socket folder as an encoded host or from ?host= (with ?user=)', () => {
    const encoded = parseDatabaseUrl('postgres://u@%2Fvar%2Frun%2Fpostgresql/custodian');
    const query = parseDatabaseUrl('postgres:///custodian?host=/var/run/postgresql&user=u');
    for (const c of [encoded, query]) {
      expect(c.connection).toMatchObject({
        host: '/var/run/postgresql',
        user: 'u',
        database: 'custodian',
      });
      expect(c.tls).toBe('disable');
    }
  });

  it('passes application_name and connect_timeout', () => {
    const c = parseDatabaseUrl(
      'postgres://u@localhost/d?application_name=desk%2012&connect_timeout=7',
    );
    expect(c.connection).toMatchObject({
      application_name: 'desk 12',
      connectionTimeoutMillis: 7000,
    });
  });

  describe('TLS modes', () => {
    it('sslmode=disable: no TLS', () => {
      const c = parseDatabaseUrl('postgres://u@db.example.com/d?sslmode=disable');
      expect(c.tls).toBe('disable');
      expect(c.connection.ssl).toBe(false);
    });

    it('sslmode=require: TLS without checking the certificate', () => {
      const c = parseDatabaseUrl('postgres://u@db.example.com/d?sslmode=require');
      expect(c.tls).toBe('require');
      expect(c.connection.ssl).toEqual({ rejectUnauthorized: false });
    });

    it('sslmode=verify-full: the certificate must be trusted and name the host', () => {
      const c = parseDatabaseUrl('postgres://u@db.example.com/d?sslmode=verify-full');
      expect(c.tls).toBe('verify-full');
      expect(c.connection.ssl).toEqual({ rejectUnauthorized: true, servername: 'db.example.com' });
    });

    it('verify-full with sslrootcert trusts that CA (and sends no SNI for an IP)', () => {
      const files: string[] = [];
      const c = parseDatabaseUrl(
        'postgres://u@192.0.2.10/d?sslmode=verify-full&sslrootcert=/etc/custodian/ca.pem',
        (file) => {
          files.push(file);
          return 'PEM';
        },
      );
      expect(files).toEqual(['/etc/custodian/ca.pem']);
      expect(c.connection.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
    });

    it('says so when sslrootcert cannot be read', () => {
      expect(() =>
        parseDatabaseUrl('postgres://u@h.example/d?sslmode=verify-full&sslrootcert=/nope', noFile),
      ).toThrow(/cannot read sslrootcert \/nope/);
    });

    it('defaults to verify-full for a remote host and to disable on this machine', () => {
      expect(parseDatabaseUrl('postgres://u@db.example.com/d').tls).toBe('verify-full');
      expect(parseDatabaseUrl('postgres://u@10.1.2.3/d').tls).toBe('verify-full');
      expect(parseDatabaseUrl('postgres://u@localhost/d').tls).toBe('disable');
      expect(parseDatabaseUrl('postgres://u@127.0.0.1:5433/d').tls).toBe('disable');
      expect(parseDatabaseUrl('postgres://u@[::1]/d').tls).toBe('disable');
    });

    it.each(['prefer', 'allow', 'verify-ca', 'REQUIRE', ''])('refuses sslmode=%s', (mode) => {
      expect(() => parseDatabaseUrl(`postgres://u@h.example/d?sslmode=${mode}`)).toThrow(
        /sslmode must be one of disable, require, verify-full/,
      );
    });

    it('refuses sslrootcert without verify-full, and TLS over a Unix socket', () => {
      expect(() =>
        parseDatabaseUrl('postgres://u@h.example/d?sslmode=require&sslrootcert=/ca.pem'),
      ).toThrow(/verify-full/);
      expect(() => parseDatabaseUrl('postgres://u@%2Ftmp/d?sslmode=require')).toThrow(
        /Unix socket/,
      );
    });
  });

  describe('refuses what it cannot honour, with a clear message', () => {
    it.each([
      ['mysql://u@h/d', /not a PostgreSQL URL/],
      ['postgres://h.example/d', /names no user/],
      ['postgres://u@h.example', /names no database/],
      ['postgres://u@h.example/', /names no database/],
      ['postgres://u@h.example/a/b', /database name has a "\/"/],
      ['postgres:///d?user=u', /names no host/],
      ['postgres://u@h.example/d?user=v', /not both/],
      ['postgres://u@h.example/d?host=/tmp', /not both/],
      ['postgres://u@a.example,b.example/d', /several hosts/],
      ['postgres://u@h.example:99999/d', /not a valid database URL/],
      ['postgres://u@h.example/d#x', /fragment/],
      ['postgres://u@h.example/d?sslmod=require', /unknown parameter "sslmod"/],
      ['postgres://u@h.example/d?sslmode=disable&sslmode=require', /given twice/],
      ['postgres://u@h.example/d?connect_timeout=soon', /connect_timeout/],
      ['not a url', /not a valid database URL/],
    ])('%s', (url, message) => {
      expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
      expect(() => parseDatabaseUrl(url)).toThrow(message);
    });

    it('never puts the password in the message', () => {
      for (const url of [
        'postgres://u:hunter2@h.example:99999/d',
        'postgres://u:hunter2@h.example/d?sslmode=bogus',
        'postgres://u:hunter2@h.example/d?password=hunter2',
        'postgres://u:hunter2@h.example/a/b',
        'u:hunter2@h.example/d',
      ]) {
        let message = '';
        try {
          parseDatabaseUrl(url);
        } catch (err) {
          message = String(err);
        }
        expect(message).not.toBe('');
        expect(message).not.toContain('hunter2');
      }
    });
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and unknown parameters, keeps the rest', () => {
    expect(redactDatabaseUrl('postgres://u:secret@h.example:5432/d?sslmode=require')).toBe(
      'postgres://u:***@h.example:5432/d?sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://u@h.example/d?password=secret')).toBe(
      'postgres://u@h.example/d?password=***',
    );
    expect(redactDatabaseUrl('postgres://u:se@cr/et@h.example/d')).toBe(
      'postgres://u:***@h.example/d',
    );
    expect(redactDatabaseUrl('postgres://u@h.example/d')).toBe('postgres://u@h.example/d');
  });
});

describe('databaseConfigFromEnv', () => {
  it('reads CUSTODIAN_DATABASE_URL, or gives null for the local SQLite file', () => {
    expect(databaseConfigFromEnv({})).toBeNull();
    expect(databaseConfigFromEnv({ CUSTODIAN_DATABASE_URL: '  ' })).toBeNull();
    const c = databaseConfigFromEnv({ CUSTODIAN_DATABASE_URL: 'postgres://u@localhost/d' });
    expect(c?.connection).toMatchObject({ host: 'localhost', database: 'd' });
  });
});
