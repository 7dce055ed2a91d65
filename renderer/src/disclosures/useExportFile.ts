import { useState } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import { withExtension } from './labels';

/**
 * The format and file name of something written to the export folder, the name's extension
 * kept in step with the format. `fields` spreads into FileFields.
 */
export function useExportFile(
  initialName: string | (() => string),
  initialFormat: ExportFormat = 'csv',
) {
  const [format, setFormat] = useState<ExportFormat>(initialFormat);
  const [fileName, setFileName] = useState(initialName);
  const chooseFormat = (next: ExportFormat) => {
    setFormat(next);
    setFileName((n) => withExtension(n, next));
  };
  return {
    format,
    fileName,
    setFileName,
    fields: { format, onFormat: chooseFormat, fileName, onFileName: setFileName },
  };
}
