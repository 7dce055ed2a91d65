import fs from 'node:fs';
import path from 'node:path';
import type { DisclosureRecordView } from '../../../shared/types';
import type { DisclosureLogStore } from '../../db/stores/disclosures-log';
import type { Ledger } from '../audit/ledger';
import { toRecordView } from '../audit/record-view';
import { faultPoint } from './faults';
import { sha256File, tempFilesFor, tempFilesIn } from './writer';

/** Start-up recovery of exports a crash interrupted, whichever kind they were. */
export class ExportRecovery {
  constructor(
    private readonly log: DisclosureLogStore,
    private readonly ledger: Ledger,
    private readonly exportDir: string,
  ) {}

  /**
   * An admitted record with neither a completion nor an abandonment is the trace of a crash
   * mid-export. A file under its final name with the recorded hash is completed; otherwise its
   * temporary file is removed and the record is marked abandoned.
   */
  async recoverIncomplete(workstation: string): Promise<DisclosureRecordView[]> {
    const handled: DisclosureRecordView[] = [];
    for (const r of await this.log.unresolved()) {
      const file = String(r.file_path);
      const placed = fs.existsSync(file) && (await sha256File(file)) === r.sha256;
      for (const temp of tempFilesFor(path.dirname(file), path.basename(file)))
        fs.rmSync(temp, { force: true });
      faultPoint('recovery-after-temp-cleanup');
      const kind = placed ? 'completed' : 'abandoned';
      if (await this.ledger.resolveOnce(r, kind, workstation)) handled.push(toRecordView(r, kind));
      faultPoint('recovery-after-first');
    }
    await this.removeStrayTempFiles();
    return handled;
  }

  /**
   * A temporary file no unresolved record claims holds customer data that left no trace in the
   * log (a crash before its record committed): it is removed at every start. A temporary file an
   * unresolved record claims belongs to an export in progress elsewhere (PostgreSQL, another
   * process on this machine) and is left to it.
   */
  private async removeStrayTempFiles(): Promise<void> {
    const claimed = (await this.log.unresolved()).map((r) => {
      const file = String(r.file_path);
      return path.join(path.dirname(file), `.${path.basename(file)}.`);
    });
    for (const temp of tempFilesIn(this.exportDir)) {
      if (!claimed.some((prefix) => temp.startsWith(prefix))) fs.rmSync(temp, { force: true });
    }
  }
}
