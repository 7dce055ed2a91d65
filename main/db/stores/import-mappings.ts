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

  /**
   * The targets and date formats saved for this header, as stored (the caller parses them), or
   * null. `dateFormats` is null for a mapping saved before they were kept (migration 0023).
   */
  async find(
    header: readonly string[],
  ): Promise<{ targets: unknown; dateFormats: unknown } | null> {
    const row = (await this.db('import_mappings')
      .where({ header_sha256: headerSha256(header) })
      .first('targets', 'date_formats')) as
      { targets: string; date_formats: string | null } | undefined;
    if (!row) return null;
    return {
      targets: JSON.parse(row.targets) as unknown,
      dateFormats: row.date_formats === null ? null : (JSON.parse(row.date_formats) as unknown),
    };
  }

  /** Saves (or replaces) the targets and date formats for this header. */
  async save(
    header: readonly string[],
    targets: readonly unknown[],
    dateFormats: Readonly<Record<string, unknown>>,
    staffId: string | null,
  ): Promise<void> {
    await this.db('import_mappings')
      .insert({
        header_sha256: headerSha256(header),
        targets: JSON.stringify(targets),
        date_formats: JSON.stringify(dateFormats),
        saved_by: staffId,
        saved_at: new Date().toISOString(),
      })
      .onConflict('header_sha256')
      .merge(['targets', 'date_formats', 'saved_by', 'saved_at']);
  }
}
