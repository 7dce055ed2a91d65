/**
 * A collection batch's placement summary as a document: which agency (name and address), when
 * and by whom the batch was sent, its state, and each account placed with the balance placed,
 * each account as the preparing staff member's role sees it. Written through the export writer
 * and recorded like every file that leaves the database.
 */
import { BATCH_STATUS_LABELS } from '../../../shared/standing';
import type { DisclosureRecordView, VisibleFields } from '../../../shared/types';
import { canRead, type AccessMap } from '../../../shared/visibility';
import { renderPdf } from '../exports/pdf';
import type { InternalExports } from '../exports/internal';
import type { DocumentRenderer, ExportRow, RowChunk } from '../exports/writer';
import type { Actor } from '../accounts/service';
import type { Session } from '../session';
import type { PlacementSummary } from './batches';

/** An amount in minor units as text, e.g. "$1,234.50" (for reading only: never parsed back). */
export function moneyText(cents: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function placementDocument(
  summary: PlacementSummary,
  prepared: { by: string; at: Date },
): DocumentRenderer {
  const { batch } = summary;
  return (chunks: AsyncIterable<RowChunk>, columns: readonly string[]) => {
    const col = (name: string) => columns.indexOf(name);
    const [number, first, last, balance] = [
      col('accountNumber'),
      col('firstName'),
      col('lastName'),
      col('balancePlacedCents'),
    ];
    const title = `Placement summary, batch ${batch.number}`;
    return renderPdf({ title, footer: title }, async (pdf) => {
      pdf.title(title);
      pdf.entries([
        ['Agency', batch.agencyName],
        ...(summary.agencyContact
          ? [['Agency address', summary.agencyContact] as [string, string]]
          : []),
        ['Sent', `${batch.sentAt.replace('T', ' ').slice(0, 16)} UTC by ${batch.createdBy}`],
        ['Status', BATCH_STATUS_LABELS[batch.status]],
        ...(batch.recalledAt
          ? [
              ['Recalled', `${batch.recalledAt.slice(0, 10)}: ${text(batch.recallReason)}`] as [
                string,
                string,
              ],
            ]
          : []),
        ['Accounts', String(batch.accountCount)],
        ['Total placed', moneyText(batch.totalCents, batch.currency)],
        ['Prepared', `${prepared.at.toISOString().slice(0, 10)} by ${prepared.by}`],
      ]);
      pdf.heading('Accounts placed');
      for await (const chunk of chunks) {
        for (const row of chunk) {
          const name = [first, last]
            .map((i) => (i < 0 ? '' : text(row[i])))
            .filter(Boolean)
            .join(' ');
          const parts = [
            number < 0 ? '' : text(row[number]),
            name,
            balance < 0 ? '' : moneyText(Number(row[balance]), batch.currency),
          ].filter(Boolean);
          pdf.paragraph(parts.join('  -  '), 9);
        }
      }
    });
  };
}

/** The summary's columns: those of the account the role may see, and the balance if it may. */
function summaryColumns(access: AccessMap): string[] {
  return [
    ...(['accountNumber', 'firstName', 'lastName'] as const).filter((k) => access[k] !== 'hidden'),
    ...(canRead(access.balanceCents) ? ['balancePlacedCents'] : []),
  ];
}

/** Writes a batch's placement summary as a PDF in the export folder, recorded and logged. */
export function writePlacementSummary(
  exports: InternalExports,
  session: Session,
  actor: Actor,
  summary: PlacementSummary,
  access: AccessMap,
  fileName: string,
): Promise<DisclosureRecordView> {
  const columns = summaryColumns(access);
  const accounts = summary.accounts;
  const rows = (async function* (): AsyncGenerator<ExportRow> {
    for (const a of accounts) {
      const fields: VisibleFields = a.fields;
      yield { ...fields, balancePlacedCents: a.balancePlacedCents } as ExportRow;
    }
  })();
  return exports.write(session, actor, {
    columns,
    rows,
    document: placementDocument(summary, {
      by: session.signedIn?.displayName ?? 'staff',
      at: new Date(),
    }),
    format: 'pdf',
    fileName,
    accountIds: accounts.map((a) => a.id),
    screen: 'collections.summary',
    queryKind: null,
  });
}
