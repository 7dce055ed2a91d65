/** The team server's own secrets (migration 0024), made on first use and the same on every instance. */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export class ServerSecretsStore {
  constructor(private readonly db: Knex) {}

  /** The secret `name`, 32 random bytes made by whichever instance asks first. */
  async secret(name: string): Promise<Buffer> {
    await this.db('server_secrets')
      .insert({ name, value: randomBytes(32).toString('base64') })
      .onConflict('name')
      .ignore();
    const row = (await this.db('server_secrets').where({ name }).first('value')) as
      { value: string } | undefined;
    if (!row) throw new Error(`the server secret ${name} is missing`);
    return Buffer.from(row.value, 'base64');
  }
}
