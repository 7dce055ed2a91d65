/** Step 1 of an import: checks every row of the file and reports the rejected ones. */
import type { ImportProblem, ImportProgress, ImportReport } from './report';
import { RowReader } from './row-reader';

/** Checks every row of the file; writes nothing. */
export async function validateImportFile(
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const reader = new RowReader(filePath, onProgress);
  const problems: ImportProblem[] = [];
  let valid = 0;
  let rejected = 0;
  for await (const rows of reader.chunks()) {
    for (const row of rows) {
      if (row.values) {
        valid++;
        continue;
      }
      rejected++;
      for (const p of row.problems) problems.push({ line: row.line, ...p });
    }
  }
  return {
    fileName: reader.fileName,
    sha256: reader.file.sha256(),
    bytes: reader.file.bytesTotal,
    columns: reader.columns,
    rowsTotal: valid + rejected,
    rowsValid: valid,
    rowsRejected: rejected,
    problems,
  };
}
