/**
 * Crash points for the crash-safety tests: a test process sets CUSTODIAN_TEST_FAULT to a point's
 * name and is killed there, as a power cut would. Unset, these do nothing.
 */
export type FaultPoint =
  /** The writer: the hidden temporary file exists, nothing written, no record yet. */
  | 'after-temp-created'
  /** The writer: some rows are in the temporary file. */
  | 'mid-rows'
  /** The writer: the temporary file is complete and synced; its record not yet begun. */
  | 'before-record'
  /** A batch send: record, placements and standing written, not yet committed. */
  | 'batch-before-commit'
  | 'after-record'
  | 'after-publish'
  /** Start-up recovery: an interrupted record's temporary files are gone, its follow-up not yet appended. */
  | 'recovery-after-temp-cleanup'
  /** Start-up recovery: the first of several interrupted records is resolved. */
  | 'recovery-after-first';

export function faultPoint(name: FaultPoint): void {
  if (process.env.CUSTODIAN_TEST_FAULT === name) process.kill(process.pid, 'SIGKILL');
}
