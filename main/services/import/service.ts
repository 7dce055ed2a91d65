/**
 * Import of customer accounts from a CSV file whose first row names Custodian's field keys.
 *
 * Two steps, so that nothing is written until someone has seen what would be:
 * 1. `validateImportFile` (validate.ts) reads the whole file and checks every row against the
 *    shared rules; its report lists every rejected row (line, field, reason; never a value).
 * 2. `importAccounts` (write-accounts.ts) reads the file again, checks every row again, and
 *    writes the valid rows in one transaction (in batches inside it): all of them or, on any
 *    failure, none. Passing the SHA-256 from step 1 makes it refuse a file that changed in
 *    between.
 *
 * Every imported account records its provenance (policy P1): source `import`, the import date,
 * and the import (file name, SHA-256, counts, who and when) in the `imports` table.
 *
 * This module is the import's public face, for the import desk, the CLI and the tests.
 */
export { ImportFileError } from './file-errors';
export type {
  ImportOptions,
  ImportProblem,
  ImportProgress,
  ImportReport,
  ImportResult,
} from './report';
export { importedBefore, validateImportFile } from './validate';
export { importAccounts } from './write-accounts';
export { projectPreview } from './preview';
