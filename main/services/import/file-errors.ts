/** Why a file cannot be imported at all, in words that name the file but nothing in it. */
import { AppError } from '../../../shared/errors';

/** The file cannot be imported at all (not CSV, no usable header, nothing in it). */
export class ImportFileError extends AppError {
  constructor(message: string) {
    super('VALIDATION', message);
  }
}

/** A file that cannot be read, in words that name the file but nothing in it. */
export function fileSystemError(err: unknown, fileName: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new ImportFileError(`There is no file ${fileName}.`);
    case 'EACCES':
    case 'EPERM':
      return new ImportFileError(`No permission to read ${fileName}.`);
    case 'EISDIR':
      return new ImportFileError(`${fileName} is a folder, not a file.`);
    default:
      return err;
  }
}
