/** The first rows of an import file, read without reading the rest. */
import { readCsvFile } from './csv';

/**
 * The header's names (trimmed) and up to `rows` data rows after it, or null when the file has
 * no row or cannot be read as CSV (the checking pass says why).
 */
export async function readHead(
  filePath: string,
  rows = 0,
): Promise<{ header: string[]; sample: string[][] } | null> {
  let batches: AsyncGenerator<{ cells: string[] }[]>;
  try {
    batches = readCsvFile(filePath).batches;
  } catch {
    return null;
  }
  try {
    let header: string[] | null = null;
    const sample: string[][] = [];
    for await (const batch of batches) {
      for (const record of batch) {
        if (header === null) header = record.cells.map((c) => c.trim());
        else sample.push(record.cells);
        if (sample.length >= rows) return { header, sample };
      }
    }
    return header === null ? null : { header, sample };
  } catch {
    return null;
  } finally {
    // Closes the file without reading the rest.
    await batches.return(undefined).catch(() => undefined);
  }
}
