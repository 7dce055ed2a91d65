import type { ExportFormat } from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import type { FieldKey } from '../../../shared/catalogue';
import type { DisclosureRecordView, VisibleFields } from '../../../shared/types';
import { ACCOUNTING_COLUMNS, accountingDocument } from './accounting-pdf';
import type { DisclosureLogStore, LogRow } from '../../db/stores/disclosures-log';
import type { Actor } from '../accounts/service';
import { statusOf, toRecordView } from '../audit/record-view';
import type { InternalExports } from '../exports/internal';
import type { ExportRow } from '../exports/writer';
import type { Session } from '../session';

/** The register of disclosures as compliance reads it: the log, and a customer's accounting. */
export class DisclosureRegister {
  constructor(
    private readonly records: DisclosureLogStore,
    private readonly exports: InternalExports,
  ) {}

  async log(filter: {
    purpose?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  }): Promise<{ records: DisclosureRecordView[]; nextCursor: number | null }> {
    const rows = await this.records.page(filter);
    const page = rows.slice(0, filter.limit);
    return {
      records: await this.withStatus(page),
      nextCursor: rows.length > filter.limit ? Number(page.at(-1)!.seq) : null,
    };
  }

  /** Per customer: every disclosure that included them (named, or all accounts by transfer). */
  async accounting(accountId: string): Promise<DisclosureRecordView[]> {
    const rows = await this.records.accountingOf(accountId);
    if (!rows) throw new AppError('NOT_FOUND', 'No such account.');
    return (await this.withStatus(rows)).filter((r) => r.status !== 'abandoned');
  }

  /** Admitted records that never completed: crashes mid-export, for compliance to review. */
  async interrupted(): Promise<DisclosureRecordView[]> {
    const rows = await this.records.abandoned(500);
    return rows.map((r) => toRecordView(r, 'abandoned'));
  }

  /** A customer's accounting of disclosures, saved for them by compliance (and itself logged). */
  async accountingReport(
    session: Session,
    actor: Actor,
    input: { accountId: string; format: ExportFormat; fileName: string },
  ): Promise<DisclosureRecordView> {
    const rows = accountingRows(await this.accounting(input.accountId));
    return this.exports.write(session, actor, {
      columns: ACCOUNTING_COLUMNS,
      rows,
      format: input.format,
      fileName: input.fileName,
      accountIds: [input.accountId],
      screen: 'accounts.disclosures.report',
      queryKind: null,
    });
  }

  /**
   * The same accounting as a document for the customer (PDF), written and recorded as every
   * export is. `customer` is the account as the caller's role sees it: the document names the
   * customer with those fields only.
   */
  async accountingPdf(
    session: Session,
    actor: Actor,
    input: { accountId: string; fileName: string },
    customer: VisibleFields,
  ): Promise<DisclosureRecordView> {
    const rows = accountingRows(await this.accounting(input.accountId));
    const shown = CUSTOMER_FIELDS.filter((k) => customer[k] !== undefined);
    return this.exports.write(session, actor, {
      columns: [...shown, ...ACCOUNTING_COLUMNS],
      rows,
      document: accountingDocument(customer, {
        by: session.signedIn?.displayName ?? 'staff',
        at: new Date(),
      }),
      format: 'pdf',
      fileName: input.fileName,
      accountIds: [input.accountId],
      screen: 'accounts.disclosures.report',
      queryKind: null,
    });
  }

  private async withStatus(rows: LogRow[]): Promise<DisclosureRecordView[]> {
    const admitted = rows.filter((r) => r.kind === 'admitted').map((r) => Number(r.seq));
    const followUps = await this.records.followUpsOf(admitted);
    return rows.map((r) => toRecordView(r, statusOf(r, followUps)));
  }
}

/** The customer's fields an accounting document may name them by. */
const CUSTOMER_FIELDS: readonly FieldKey[] = [
  'accountNumber',
  'firstName',
  'lastName',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
];

/** An accounting's records as rows of ACCOUNTING_COLUMNS. */
async function* accountingRows(records: DisclosureRecordView[]): AsyncGenerator<ExportRow> {
  for (const r of records) {
    yield {
      date: r.recordedAt,
      recipient: r.recipientName,
      recipientType: r.recipientType,
      recipientAddress: r.recipientContact,
      purpose: r.purpose,
      legalBasis: r.legalBasis,
      fields: r.fields.join(' '),
    };
  }
}
