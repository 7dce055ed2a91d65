/**
 * The import mappings store: the only reader and writer of `import_mappings` (migration 0018),
 * the column mapping last confirmed for a header, by the SHA-256 of the header's names.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/** The key of a header: its names as written (trimmed), in order. */
export function headerSha256(header: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(header.map((h) => h.trim())))
    .digest('hex');
}

export class ImportMappingsStore {
  constructor(private readonly db: Knex) {}

  /** The targets saved for this header, as stored (the caller parses them), or null. */
  async find(header: readonly string[]): Promise<unknown> {
    const row = (await this.db('import_mappings')
      .where({ header_sha256: headerSha256(header) })
      .first('targets')) as { targets: string } | undefined;
    return row ? (JSON.parse(row.targets) as unknown) : null;
  }

  /** Saves (or replaces) the targets for this header. */
  async save(
    header: readonly string[],
    targets: readonly unknown[],
    staffId: string | null,
  ): Promise<void> {
    await this.db('import_mappings')
      .insert({
        header_sha256: headerSha256(header),
        targets: JSON.stringify(targets),
        saved_by: staffId,
        saved_at: new Date().toISOString(),
      })
      .onConflict('header_sha256')
      .merge(['targets', 'saved_by', 'saved_at']);
  }
}
