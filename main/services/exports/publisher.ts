import type { FileFormat } from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';
import { followUp, type Ledger } from '../audit/ledger';
import type { RecordBody, StoredRecord } from '../audit/chain';
import { toRecordView } from '../audit/record-view';
import { recordSealedFile } from '../../db/stores/sealed-files';
import type { Tx } from '../../db/stores/scope';
import type { RecipientKey } from './seal';
import { writeExport, type DocumentRenderer, type ExportRows, type WrittenFile } from './writer';

/** A sealed file's two hashes, beside its record (the record's sha256 is the file on disk). */
export async function recordSealed(trx: Tx, seq: number, file: WrittenFile): Promise<void> {
  if (!file.sealedTo) return;
  await recordSealedFile(trx, {
    seq,
    plaintextSha256: file.plaintextSha256,
    sealedSha256: file.sha256,
    fingerprint: file.sealedTo,
  });
}

/**
 * Every file that leaves the database (a disclosure, a placement, an internal export) is written
 * here: through the crash-safe writer, with its intent record committed durably before the file
 * gets its final name, and its completion after.
 */
export class ExportPublisher {
  constructor(
    private readonly ledger: Ledger,
    readonly exportDir: string,
  ) {}

  async publish(
    fileName: string,
    format: FileFormat,
    columns: readonly string[],
    source: ExportRows,
    body: (file: WrittenFile) => RecordBody,
    sealTo: RecipientKey | null = null,
    document?: DocumentRenderer,
  ): Promise<DisclosureRecordView> {
    let intent: StoredRecord | null = null;
    await writeExport({
      dir: this.exportDir,
      fileName,
      format,
      columns,
      ...source,
      sealTo,
      document,
      // The record is on disk before the file gets its final name: a power cut must not keep a
      // file whose record it lost (main/db/durable.ts).
      recordIntent: async (file) => {
        intent = await this.ledger.appendDurably(body(file), (trx, record) =>
          recordSealed(trx, Number(record.seq), file),
        );
      },
      recordDone: () => this.complete(intent!),
    });
    return toRecordView(intent!, 'completed');
  }

  /** Appends the completion of an intent whose file now has its final name. */
  async complete(intent: StoredRecord): Promise<void> {
    await this.ledger.appendAlone(followUp(intent, 'completed'));
  }
}
