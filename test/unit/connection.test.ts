import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConnectionStore,
  explainConnectionError,
  noSecretStore,
  type SecretStore,
} from '../../main/services/connection';

/** A stand-in for the OS keychain: reversible, and visibly not the plain text. */
const fakeKeychain: SecretStore = {
  available: () => true,
  encrypt: (t) => Buffer.from(`sealed:${t}`).toString('base64').split('').reverse().join(''),
  decrypt: (s) =>
    Buffer.from(s.split('').reverse().join(''), 'base64')
      .toString()
      .replace(/^sealed:/, ''),
};
const team = {
  mode: 'pg' as const,
  host: 'db.example.internal',
  port: 5432,
  database: 'custodian',
  user: 'console',
  tls: 'verify-full' as const,
};

function store(secrets: SecretStore = fakeKeychain) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-conn-'));
  const file = path.join(dir, 'connection.json');
  return { file, s: new ConnectionStore(file, secrets) };
}

describe('connection settings', () => {
  it('defaults to the local SQLite file', () => {
    const { s } = store();
    expect(s.view().mode).toBe('sqlite');
    expect(s.databaseConfig('/data/c.sqlite')).toEqual({
      client: 'sqlite',
      filename: '/data/c.sqlite',
    });
  });

  it('keeps the password sealed by the keychain, never in plain text, and never returns it', () => {
    const { s, file } = store();
    const view = s.save({ ...team, password: 'S3cret-Passw0rd!' });
    expect(view).toMatchObject({ mode: 'pg', host: 'db.example.internal', hasPassword: true });
    expect(JSON.stringify(view)).not.toContain('S3cret');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('S3cret-Passw0rd!');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const cfg = s.databaseConfig('/x');
    expect(cfg).toMatchObject({
      client: 'pg',
      connection: {
        host: 'db.example.internal',
        password: 'S3cret-Passw0rd!',
        ssl: { rejectUnauthorized: true },
      },
    });
    // Saving again without a password keeps the stored one.
    s.save({ ...team, port: 6432 });
    expect(s.databaseConfig('/x')).toMatchObject({
      connection: { port: 6432, password: 'S3cret-Passw0rd!' },
    });
  });

  it('refuses to store a password where there is no keychain, and says why', () => {
    const { s, file } = store(noSecretStore);
    expect(() => s.save({ ...team, password: 'pw' })).toThrow(/no OS keychain/);
    expect(fs.existsSync(file)).toBe(false);
    expect(s.save(team).hasPassword).toBe(false);
  });

  it('explains connection errors in plain words', () => {
    const where = { host: 'h', port: 5, database: 'd', user: 'u' };
    expect(explainConnectionError({ code: 'ECONNREFUSED' }, where)).toMatch(
      /Nothing is accepting connections at h:5/,
    );
    expect(explainConnectionError({ code: '28P01' }, where)).toMatch(/refused user "u"/);
    expect(explainConnectionError({ code: '3D000' }, where)).toMatch(/no database named "d"/);
    expect(explainConnectionError({ code: 'ENOTFOUND' }, where)).toMatch(/could not be found/);
    expect(explainConnectionError({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, where)).toMatch(
      /certificate could not be verified/,
    );
  });
});
