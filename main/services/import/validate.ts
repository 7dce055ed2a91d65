/**
 * Step 1 of an import: checks every row of the file and reports the rejected ones. With the
 * database's lookups it also refuses, before anything is written, every row whose account number
 * an account already holds, and tells of earlier imports of the very same file; rows repeating an
 * earlier row exactly are refused either way.
 */
import { hash } from 'node:crypto';
import type { ImportLookups } from '../../db/stores/imports';
import {
  IMPORT_PREVIEW_ROWS,
  type ColumnTarget,
  type DateFormats,
  type EarlierImport,
} from '../../../shared/import';
import { previewRow, type PreviewRow } from './preview';
import type { ImportProblem, ImportProgress, ImportReport } from './report';
import { RowReader, type ValidRow } from './row-reader';

/** Given numbers looked up in the database at a time. */
const LOOKUP_ROWS = 500;

/**
 * Checks every row of the file; writes nothing. `against`: the database the rows would go into
 * (absent: the file alone is checked).
 */
export async function validateImportFile(
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
  against?: ImportLookups,
  /** What each column becomes (absent: the header names the field keys). */
  mapping?: readonly ColumnTarget[],
  /** How each date field's column writes its dates (absent: YYYY-MM-DD only). */
  dateFormats?: DateFormats,
): Promise<ImportReport> {
  const reader = new RowReader(filePath, onProgress, mapping, dateFormats);
  const preview: PreviewRow[] = [];
  const problems: ImportProblem[] = [];
  const refusedLines: number[] = [];
  const repeats = new RepeatedRows();
  let valid = 0;
  let rejected = 0;
  const refuse = (line: number, problem: Omit<ImportProblem, 'line'>) => {
    problems.push({ line, ...problem });
    refusedLines.push(line);
    rejected++;
  };
  for await (const rows of reader.chunks()) {
    const accepted: ValidRow[] = [];
    for (const row of rows) {
      if (!row.values) {
        rejected++;
        for (const p of row.problems) problems.push({ line: row.line, ...p });
        continue;
      }
      const earlier = repeats.earlierLineOf(row);
      if (earlier === null) accepted.push(row);
      else refuse(row.line, { field: null, reason: `Repeats line ${earlier} exactly.` });
    }
    const inUse = against ? await numbersInUse(against, accepted) : new Set<string>();
    for (const row of accepted) {
      if (row.number !== null && inUse.has(row.number)) {
        refuse(row.line, {
          field: 'accountNumber',
          reason: `Account number ${row.number} is already held by an account in the database.`,
        });
      } else {
        valid++;
        if (preview.length < IMPORT_PREVIEW_ROWS) {
          preview.push(previewRow(reader.rowValidator, row.line, row.values));
        }
      }
    }
  }
  // A refused row's problem went in after rows read later in its chunk: file order again.
  problems.sort((a, b) => a.line - b.line);
  const sha256 = reader.file.sha256();
  return {
    fileName: reader.fileName,
    sha256,
    bytes: reader.file.bytesTotal,
    columns: reader.columns,
    ignoredColumns: reader.ignoredColumns,
    rowsTotal: valid + rejected,
    rowsValid: valid,
    rowsRejected: rejected,
    problems,
    refusedLines,
    earlierImports: against ? await against.importsOfFile(sha256) : null,
    preview,
  };
}

async function numbersInUse(lookups: ImportLookups, rows: readonly ValidRow[]) {
  const given = rows.flatMap((r) => (r.number === null ? [] : [r.number]));
  const inUse = new Set<string>();
  for (let i = 0; i < given.length; i += LOOKUP_ROWS) {
    for (const n of await lookups.numbersInUse(given.slice(i, i + LOOKUP_ROWS))) inUse.add(n);
  }
  return inUse;
}

/**
 * Finds a row whose values repeat an earlier row's exactly (the same customer twice). Each row is
 * kept as 96 bits of a hash of its values, not as its text: about 60 bytes a row.
 */
class RepeatedRows {
  private readonly seen = new Map<string, number>();

  earlierLineOf(row: ValidRow): number | null {
    // The one-shot hash: a Hash object per row cost as much as reading the row.
    const key = hash('sha256', JSON.stringify(row.values), 'base64').slice(0, 16);
    const earlier = this.seen.get(key);
    if (earlier !== undefined) return earlier;
    this.seen.set(key, row.line);
    return null;
  }
}

/** Why a file imported before is not imported again, in the words the console and CLI show. */
export function importedBefore(fileName: string, earlier: EarlierImport): string {
  const accounts = `${earlier.rowsImported} account${earlier.rowsImported === 1 ? '' : 's'}`;
  return `${fileName} was imported before, unchanged (import ${earlier.importId} on ${earlier.finishedAt.slice(0, 10)}, ${accounts}, as ${earlier.fileName}). Importing it again would add the same customers twice, so nothing was imported. To add rows that were not in it, put only those in a new file.`;
}
