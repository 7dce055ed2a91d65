import { useState } from 'react';
import { DEFAULT_FIELDS, type ExportFormat, type Purpose } from '../../../../shared/disclosure';
import type { VisibleAccess } from '../../../../shared/types';
import type { PickedAccount } from '../../navigation';
import { suggestFileName, withExtension } from '../labels';
import { disclosableFields, emptyDraft, type Draft } from './draft';

/** The request being put together, and the changes that move more than one of its parts. */
export function useDraft(initialAccounts: PickedAccount[], access: VisibleAccess) {
  const [draft, setDraft] = useState(() => emptyDraft(initialAccounts, 'csv'));
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  /** A new purpose ticks its usual fields and, until the name is typed, renames the file. */
  function choosePurpose(p: Purpose) {
    const allowed = disclosableFields(access, p);
    setDraft((d) => ({
      ...d,
      purpose: p,
      fields: new Set(DEFAULT_FIELDS[p].filter((k) => allowed.includes(k))),
      fileName: d.fileNameTouched ? d.fileName : suggestFileName(p.replace(/_/g, '-'), d.format),
    }));
  }

  function chooseFormat(format: ExportFormat) {
    setDraft((d) => ({ ...d, format, fileName: withExtension(d.fileName, format) }));
  }

  function typeFileName(fileName: string) {
    update({ fileName, fileNameTouched: true });
  }

  /** Everything back to the start but the format last chosen. */
  function reset() {
    setDraft((d) => emptyDraft([], d.format));
  }

  return { draft, update, choosePurpose, chooseFormat, typeFileName, reset };
}
