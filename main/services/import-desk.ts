/**
 * The import screen's side of main: which file, who may import it, and the two passes
 * (main/services/import/service.ts) run on behalf of one window.
 *
 * The renderer never names a path. main asks the file picker it was given (Electron's open
 * dialog; a fixture in tests), keeps the path here and hands out a token. A token belongs to one
 * window and one staff member, and moves chosen -> checked -> imported: nothing is written for
 * a file that was not checked, and a file that changed after its check is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/handle';
import { ImportLookups } from '../db/stores/imports';
import { FIELD_BY_KEY, isFieldKey, type FieldKey } from '../../shared/catalogue';
import { AppError } from '../../shared/errors';
import {
  IMPORTABLE_FIELD_KEYS,
  IMPORT_PROBLEM_PAGE,
  type ImportCheck,
  type ImportFileChoice,
  type ImportOutcome,
  type ImportProblemPage,
  type ColumnTarget,
  type ImportMappingProposal,
  type DateFormats,
  dateFormatsSchema,
  importMappingSchema,
} from '../../shared/import';
import { ROLE_LABELS, type Role } from '../../shared/roles';
import { canEdit, canRead, type AccessMap } from '../../shared/visibility';
import { readHead } from './import/file-head';
import { ColumnMapping, mappingProblem } from './import/mapping';
import { suggestMapping } from './import/mapping-suggest';
import { projectPreview } from './import/preview';
import { ImportMappingsStore } from '../db/stores/import-mappings';
import {
  importAccounts,
  importedBefore,
  validateImportFile,
  type ImportProgress,
  type ImportReport,
} from './import/service';

/** Asks the user for a CSV file; null when they cancel. */
export type ImportFilePicker = () => Promise<string | null>;

export interface ImportActor {
  staffId: string;
  role: Role;
}

type Stage = 'chosen' | 'checking' | 'checked' | 'importing';

interface PendingImport {
  token: string;
  /** The window (backend session) that chose the file. */
  owner: string;
  staffId: string;
  filePath: string;
  fileName: string;
  sizeBytes: number;
  stage: Stage;
  report: ImportReport | null;
  /** What each column becomes, as confirmed at the check (null: the header names the fields). */
  mapping: ColumnTarget[] | null;
  /** How each date field's column writes its dates, as confirmed at the check. */
  dateFormats: DateFormats;
}

/** Data rows looked at to suggest a column's field from its values. */
const SAMPLE_ROWS = 20;

const IMPORTABLE = new Set<string>(IMPORTABLE_FIELD_KEYS);

export class ImportDesk {
  /** At most one pending import per window: choosing a file forgets the previous one. */
  private readonly pending = new Map<string, PendingImport>();

  constructor(
    private readonly db: Db,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly picker: ImportFilePicker | undefined,
  ) {
    this.mappings = new ImportMappingsStore(db);
  }

  private readonly mappings: ImportMappingsStore;

  async choose(
    owner: string,
    actor: ImportActor,
    picker: ImportFilePicker | undefined = this.picker,
  ): Promise<ImportFileChoice | null> {
    if (!picker) {
      throw new AppError(
        'NOT_FOUND',
        'This console cannot open files. Import from the Custodian desktop app, or with `custodian import FILE` on the command line.',
      );
    }
    const current = this.forOwner(owner);
    if (current && (current.stage === 'checking' || current.stage === 'importing')) {
      throw busy(current);
    }
    const filePath = await picker();
    if (filePath === null) return null;
    const fileName = path.basename(filePath);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(filePath);
    } catch {
      throw new AppError('NOT_FOUND', `${fileName} cannot be opened. Choose another file.`);
    }
    if (!stat.isFile()) {
      throw new AppError('VALIDATION', `${fileName} is not a file. Choose a CSV file.`);
    }
    // The pick may have taken a while: another call of this window may have started meanwhile.
    const now = this.forOwner(owner);
    if (now && (now.stage === 'checking' || now.stage === 'importing')) throw busy(now);
    if (now) this.pending.delete(now.token);
    const entry: PendingImport = {
      token: randomUUID(),
      owner,
      staffId: actor.staffId,
      filePath,
      fileName,
      sizeBytes: stat.size,
      stage: 'chosen',
      report: null,
      mapping: null,
      dateFormats: {},
    };
    this.pending.set(entry.token, entry);
    const mapping = await this.propose(filePath);
    return { token: entry.token, fileName, sizeBytes: stat.size, mapping };
  }

  /**
   * The file's columns with a target for each: the mapping confirmed for this very header at an
   * earlier check when there is one (and it still holds), else one suggested from the header and
   * a sample of values.
   */
  private async propose(filePath: string): Promise<ImportMappingProposal> {
    const head = await readHead(filePath, SAMPLE_ROWS);
    if (!head) {
      return { columns: [], saved: false, problem: 'The file has no first row to map.' };
    }
    const suggested = suggestMapping(head.header, head.sample);
    const found = await this.mappings.find(head.header);
    const stored = importMappingSchema.safeParse(found?.targets);
    if (stored.success && mappingProblem(head.header, stored.data) === null) {
      // A mapping saved before date formats were kept has none: the values suggest them.
      const dates = dateFormatsSchema.safeParse(found?.dateFormats ?? {});
      const columns = suggested.map((c, i) => {
        const target = stored.data[i]!;
        const order = dates.success && target !== null ? dates.data[target as FieldKey] : undefined;
        return {
          ...c,
          target,
          reason: 'saved' as const,
          ...(order ? { date: { order, reason: 'saved' as const } } : {}),
        };
      });
      return { columns, saved: true, problem: null };
    }
    return { columns: suggested, saved: false, problem: null };
  }

  /** The chosen file's size in bytes, as last seen. */
  sizeOf(owner: string, actor: ImportActor, token: string): number {
    return this.entry(owner, actor, token).sizeBytes;
  }

  /** Data rows of the checked file (0 before its check). */
  rowsOf(owner: string, actor: ImportActor, token: string): number {
    return this.entry(owner, actor, token).report?.rowsTotal ?? 0;
  }

  /** The checking pass: every row against the shared rules; nothing is written. */
  async check(
    owner: string,
    actor: ImportActor,
    token: string,
    mapping: ColumnTarget[] | undefined,
    onProgress?: (p: ImportProgress) => void,
    dateFormats: DateFormats = {},
  ): Promise<ImportCheck> {
    const entry = this.entry(owner, actor, token);
    if (entry.stage === 'checking' || entry.stage === 'importing') throw busy(entry);
    entry.stage = 'checking';
    entry.report = null;
    entry.mapping = mapping ?? null;
    entry.dateFormats = dateFormats;
    try {
      const header = await this.requireColumnsEditable(actor.role, entry);
      const report = await validateImportFile(
        entry.filePath,
        onProgress,
        new ImportLookups(this.db),
        mapping,
        dateFormats,
      );
      // Confirmed and usable: offered again for the next file with this header.
      if (mapping && header) {
        await this.mappings.save(header, mapping, dateFormats, actor.staffId);
      }
      // The preview is customer data: projected by the role's access as an account read is.
      const preview = projectPreview(report.preview, await this.accessFor(actor.role));
      entry.report = report;
      entry.sizeBytes = report.bytes;
      entry.stage = 'checked';
      return {
        token: entry.token,
        fileName: entry.fileName,
        sizeBytes: report.bytes,
        columns: report.columns,
        ignoredColumns: report.ignoredColumns,
        rowsTotal: report.rowsTotal,
        rowsValid: report.rowsValid,
        rowsRejected: report.rowsRejected,
        problemsTotal: report.problems.length,
        problems: report.problems.slice(0, IMPORT_PROBLEM_PAGE),
        earlierImports: report.earlierImports ?? [],
        preview,
      };
    } catch (err) {
      entry.stage = 'chosen';
      throw err;
    }
  }

  problems(
    owner: string,
    actor: ImportActor,
    token: string,
    offset: number,
    limit: number,
  ): ImportProblemPage {
    const entry = this.entry(owner, actor, token);
    if (!entry.report) throw notChecked(entry);
    const all = entry.report.problems;
    return { offset, total: all.length, problems: all.slice(offset, offset + limit) };
  }

  /**
   * Writes the valid rows of a checked file, all or none. The check's SHA-256 goes with it, so
   * a file changed since it was checked is refused and nothing is written.
   */
  async run(
    owner: string,
    actor: ImportActor,
    token: string,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<ImportOutcome> {
    const entry = this.entry(owner, actor, token);
    if (entry.stage === 'checking' || entry.stage === 'importing') throw busy(entry);
    const report = entry.report;
    if (entry.stage !== 'checked' || !report) throw notChecked(entry);
    if (report.rowsValid === 0) {
      throw new AppError(
        'VALIDATION',
        `${entry.fileName} has no valid rows, so there is nothing to import.`,
      );
    }
    const earlier = report.earlierImports?.[0];
    if (earlier) throw new AppError('VALIDATION', importedBefore(entry.fileName, earlier));
    entry.stage = 'importing';
    try {
      // The access matrix may have changed since the check.
      await this.requireColumnsEditable(actor.role, entry);
      const result = await importAccounts(this.db, entry.filePath, {
        staffId: actor.staffId,
        expectedSha256: report.sha256,
        expectedRows: report.rowsValid,
        skipLines: new Set(report.refusedLines),
        ...(entry.mapping ? { mapping: entry.mapping } : {}),
        dateFormats: entry.dateFormats,
        ...(onProgress ? { onProgress } : {}),
      });
      this.pending.delete(entry.token);
      const access = await this.accessFor(actor.role);
      const numbers = canRead(access.accountNumber)
        ? {
            firstAccountNumber: result.firstAccountNumber,
            lastAccountNumber: result.lastAccountNumber,
          }
        : {};
      return {
        importId: result.importId,
        fileName: result.report.fileName,
        imported: result.imported,
        skipped: result.report.rowsRejected,
        ...numbers,
        milliseconds: Math.round(result.milliseconds),
      };
    } catch (err) {
      // Whatever failed (a changed file, a number in use), the file must be checked again.
      if (this.pending.has(entry.token)) {
        entry.stage = 'chosen';
        entry.report = null;
      }
      throw err;
    }
  }

  private forOwner(owner: string): PendingImport | undefined {
    for (const p of this.pending.values()) if (p.owner === owner) return p;
    return undefined;
  }

  private entry(owner: string, actor: ImportActor, token: string): PendingImport {
    const entry = this.pending.get(token);
    // Another window's or another staff member's token is as unknown as a made-up one.
    if (!entry || entry.owner !== owner || entry.staffId !== actor.staffId) {
      throw new AppError('NOT_FOUND', 'That file is no longer chosen. Choose the file again.');
    }
    return entry;
  }

  /**
   * Importing a column writes that field into every account: the role must be allowed to edit
   * it, as when creating one account. The account number is the exception: no role edits it,
   * but a file may carry the numbers accounts already have elsewhere.
   */
  private async requireColumnsEditable(role: Role, entry: PendingImport): Promise<string[] | null> {
    const header = (await readHead(entry.filePath))?.header;
    if (!header) return null; // unreadable or empty: the checking pass says why
    let keys: string[] = header;
    if (entry.mapping) {
      // A mapping that does not fit the file: the checking pass says why.
      if (mappingProblem(header, entry.mapping) !== null) return header;
      keys = new ColumnMapping(header, entry.mapping).keys;
    }
    const unknown = keys
      .map((name, i) => ({ name, column: i + 1 }))
      .filter((c) => !isFieldKey(c.name));
    if (unknown.length > 0) throw unknownColumns(entry.fileName, unknown);
    const access = await this.accessFor(role);
    const refused = (keys as FieldKey[]).filter(
      (k) => IMPORTABLE.has(k) && k !== 'accountNumber' && !canEdit(access[k]),
    );
    if (refused.length > 0) {
      const named = refused.map((k) => `${FIELD_BY_KEY[k].label} (${k})`).join(', ');
      throw new AppError(
        'FORBIDDEN',
        `Your role (${ROLE_LABELS[role]}) may not set ${named}, so ${entry.fileName} cannot be imported. Choose "Not imported" for ${refused.length > 1 ? 'those columns' : 'that column'} (or remove ${refused.length > 1 ? 'them' : 'it'} from the file), or ask for your role to be given edit access to ${refused.length > 1 ? 'them' : 'it'} in the access matrix.`,
      );
    }
    return header;
  }
}

function busy(entry: PendingImport): AppError {
  return new AppError(
    'CONFLICT',
    entry.stage === 'importing'
      ? `${entry.fileName} is being imported. Wait until it has finished.`
      : `${entry.fileName} is being checked. Wait until the check has finished.`,
  );
}

function notChecked(entry: PendingImport): AppError {
  return new AppError(
    'VALIDATION',
    `Check ${entry.fileName} first: only a checked file can be imported.`,
  );
}

const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const KEY_BY_NORMALISED = new Map(IMPORTABLE_FIELD_KEYS.map((k) => [normalised(k), k]));

/**
 * A first row that does not name the columns. It is often a row of data (a file without its
 * header row), so a name is never repeated back: a column is named by its position, with the
 * field key it was probably meant to be when it differs from one only in case or spacing.
 */
function unknownColumns(fileName: string, unknown: { name: string; column: number }[]): AppError {
  const shown = unknown.slice(0, 5).map((c) => {
    const meant = KEY_BY_NORMALISED.get(normalised(c.name));
    return meant ? `column ${c.column} (did you mean ${meant}?)` : `column ${c.column}`;
  });
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  return new AppError(
    'VALIDATION',
    `The first row of ${fileName} must name the columns with Custodian's field keys (${IMPORTABLE_FIELD_KEYS.join(', ')}). These are not field keys: ${shown.join(', ')}${more}.`,
  );
}
