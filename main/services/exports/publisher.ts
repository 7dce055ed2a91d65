import type { ExportFormat } from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';
import { followUp, type Ledger } from '../audit/ledger';
import type { RecordBody, StoredRecord } from '../audit/chain';
import { toRecordView } from '../audit/record-view';
import { writeExport, type ExportRows, type WrittenFile } from './writer';

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
    format: ExportFormat,
    columns: readonly string[],
    source: ExportRows,
    body: (file: WrittenFile) => RecordBody,
  ): Promise<DisclosureRecordView> {
    let intent: StoredRecord | null = null;
    await writeExport({
      dir: this.exportDir,
      fileName,
      format,
      columns,
      ...source,
      // The record is on disk before the file gets its final name: a power cut must not keep a
      // file whose record it lost (main/db/durable.ts).
      recordIntent: async (file) => {
        intent = await this.ledger.appendDurably(body(file));
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
