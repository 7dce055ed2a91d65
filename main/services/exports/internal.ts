import { v7 as uuidv7 } from 'uuid';
import type { FieldKey } from '../../../shared/catalogue';
import { LEGAL_BASIS, type ExportFormat, type FileFormat } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/roles';
import type { DisclosureRecordView } from '../../../shared/types';
import { canSee, type AccessMap } from '../../../shared/visibility';
import type { AccessLogFilter, AccessLogService } from '../access-log';
import type { AccountsService, Actor, ListQuery } from '../accounts/service';
import type { RecordBody } from '../audit/chain';
import type { Session } from '../session';
import type { ExportPublisher } from './publisher';
import type { DocumentRenderer, ExportRow, ExportRows, WrittenFile } from './writer';

export type InternalExportSpec = {
  columns: readonly string[];
  format: FileFormat;
  /** Lays out the rows, for format `pdf`. */
  document?: DocumentRenderer;
  fileName: string;
  accountIds: readonly string[];
  screen: string;
  queryKind: string | null;
  action?: 'export' | 'export_access_log';
} & ExportRows;

/**
 * Exports by staff for the company's own use (not to a third party): logged in the disclosure
 * log as purpose `internal` and in the access log, with field visibility applied to what leaves.
 */
export class InternalExports {
  constructor(
    private readonly publisher: ExportPublisher,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly accounts: AccountsService,
    private readonly accessLog: AccessLogService,
  ) {}

  async accountList(
    session: Session,
    actor: Actor,
    input: {
      query: Omit<ListQuery, 'cursor' | 'limit'>;
      fields: readonly FieldKey[];
      format: ExportFormat;
      fileName: string;
    },
  ): Promise<DisclosureRecordView> {
    const access = await this.accessFor(actor.role);
    const hidden = input.fields.filter((f) => !canSee(access[f]));
    if (hidden.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        `Your role may not see ${hidden.join(', ')}, so it cannot export it.`,
      );
    }
    // The rows are the accounts list's own selection and projection, so visibility and search
    // rules apply as on screen; they are read in chunks and streamed to the file.
    return this.write(session, actor, {
      columns: input.fields,
      chunks: this.accounts.exportRows(actor, input.query, input.fields),
      format: input.format,
      fileName: input.fileName,
      accountIds: [],
      screen: 'accounts.export',
      queryKind: input.query.search ? (input.query.searchKind ?? 'auto') : null,
    });
  }

  async accessLogEntries(
    session: Session,
    actor: Actor,
    input: Omit<AccessLogFilter, 'cursor' | 'limit'> & { format: ExportFormat; fileName: string },
  ): Promise<DisclosureRecordView> {
    const { format, fileName, ...filter } = input;
    const columns = [
      'at',
      'staff',
      'hostname',
      'ip',
      'os',
      'appVersion',
      'action',
      'screen',
      'queryKind',
      'recordIds',
      'resultCount',
    ];
    const entries = this.accessLog.iterate(filter);
    const rows = (async function* (): AsyncGenerator<ExportRow> {
      // The writer keeps only the named columns (staff ids stay out of the file).
      for await (const e of entries) yield { ...e, recordIds: e.recordIds.join(' ') };
    })();
    return this.write(session, actor, {
      columns,
      rows,
      format,
      fileName,
      accountIds: [],
      screen: 'accessLog.export',
      queryKind: filter.accountId ? 'account' : filter.staffId ? 'staff' : 'all',
      action: 'export_access_log',
    });
  }

  /** Writes an internal export with its records, and notes it in the access log. */
  async write(
    session: Session,
    actor: Actor,
    spec: InternalExportSpec,
  ): Promise<DisclosureRecordView> {
    const body = (file: WrittenFile): RecordBody => ({
      id: uuidv7(),
      kind: 'admitted',
      ref_seq: null,
      staff_id: actor.staffId,
      staff_name: session.signedIn?.displayName ?? null,
      workstation: session.client.hostname,
      approvers: '[]',
      recipient_id: null,
      recipient_name: null,
      recipient_contact: null,
      recipient_type: null,
      purpose: 'internal',
      legal_basis: LEGAL_BASIS.internal,
      account_ids: JSON.stringify(spec.accountIds),
      fields: JSON.stringify(spec.columns),
      row_count: file.rowCount,
      file_path: file.finalPath,
      format: spec.format,
      sha256: file.sha256,
      refusal: null,
      request_id: null,
    });
    const source: ExportRows = spec.chunks ? { chunks: spec.chunks } : { rows: spec.rows };
    const view = await this.publisher.publish(
      spec.fileName,
      spec.format,
      spec.columns,
      source,
      body,
      null,
      spec.document,
    );
    await this.accessLog.record(session, {
      action: spec.action ?? 'export',
      screen: spec.screen,
      queryKind: spec.queryKind,
      recordIds: spec.accountIds,
      resultCount: view.rowCount,
    });
    return view;
  }
}
