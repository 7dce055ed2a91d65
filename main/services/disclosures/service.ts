import fs from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { FieldKey, FraudFlag, Standing } from '../../../shared/catalogue';
import {
  LEGAL_BASIS,
  PURPOSE_RULES,
  INSTRUMENT_LABELS,
  type ExportFormat,
  type LoggedPurpose,
  type Purpose,
} from '../../../shared/disclosure';
import { AppError } from '../../../shared/errors';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import type {
  AuditCheckpoint,
  ChainVerification,
  DisclosureApprover,
  DisclosureOutcome,
  DisclosureRecordView,
  DisclosureRequestView,
} from '../../../shared/types';
import { canSee, type AccessMap } from '../../../shared/visibility';
import { dbNow, toIso } from '../../db/connect';
import { durableTransaction, startDurableTransaction } from '../../db/durable';
import { lockRows } from '../../db/locks';
import {
  evaluateDisclosure,
  type GateAccount,
  type GateApproval,
  type LegalInstrument,
} from '../../policy/disclosure-gate';
import type { HoldKind } from '../../../shared/standing';
import type { AccessLogFilter, AccessLogService } from '../access-log';
import type { AccountsService, Actor, ListQuery } from '../accounts/service';
import { rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import { appendRecord, verifyChain, type RecordBody, type StoredRecord } from '../audit/chain';
import { signCheckpoint } from '../audit/checkpoint';
import { verifyAudit } from '../audit/verify';
import type { WitnessLog } from '../audit/witness';
import type { Clock } from '../clock';
import type { Session } from '../session';
import { faultPoint } from '../exports/faults';
import {
  sha256File,
  tempFilesFor,
  tempFilesIn,
  writeExport,
  type ExportRow,
  type ExportRows,
  type WrittenFile,
} from '../exports/writer';
import { DisclosureFourEyes } from './four-eyes';
import type { RecipientsService } from './recipients';
import { statusOf, toRecordView } from './records';

export interface DisclosureInput {
  recipientId: string;
  purpose: Purpose;
  accountIds: readonly string[];
  allAccounts: boolean;
  fields: readonly FieldKey[];
  format: ExportFormat;
  fileName?: string | undefined;
  legal?: LegalInstrument | null | undefined;
  justification?: string | null | undefined;
}

interface RequestRow {
  id: string;
  requester_id: string;
  recipient_id: string;
  purpose: Purpose;
  account_ids: string;
  fields: string;
  format: ExportFormat;
  legal: string | null;
  justification: string | null;
  status: string;
  created_at: string;
}

const CHUNK = 500;

/**
 * The disclosure gate in use: every attempt is decided by the pure gate, recorded in the
 * hash-chained log, and only an admitted one writes a file, through the crash-safe writer.
 */
export class DisclosureService {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly accessFor: (role: Role) => Promise<AccessMap>,
    private readonly recipients: RecipientsService,
    private readonly accounts: AccountsService,
    private readonly accessLog: AccessLogService,
    private readonly exportDir: string,
    private readonly signingKey: () => KeyObject,
    private readonly witnesses: WitnessLog,
  ) {}

  /** Appends a record and, once its transaction commits, has it witnessed outside the database. */
  private async append(trx: Knex.Transaction, body: RecordBody): Promise<StoredRecord> {
    const record = await appendRecord(trx, body);
    this.witnesses.afterCommit(trx, { seq: Number(record.seq), hash: record.hash });
    return record;
  }

  // ---- requests -------------------------------------------------------------------------

  async request(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
  ): Promise<DisclosureOutcome> {
    const decision = await this.decide(actor, input, []);
    if (decision.outcome === 'refused')
      return this.refuse(session, actor, input, decision.reasons, [], null);
    if (decision.outcome === 'needs_approval') {
      const id = uuidv7();
      await this.db('disclosure_requests').insert({
        id,
        requester_id: actor.staffId,
        recipient_id: input.recipientId,
        purpose: input.purpose,
        account_ids: JSON.stringify(input.allAccounts ? ['*'] : input.accountIds),
        fields: JSON.stringify(input.fields),
        format: input.format,
        legal: input.legal ? JSON.stringify(input.legal) : null,
        justification: input.justification ?? null,
        status: 'pending',
        created_at: dbNow(this.db),
        updated_at: dbNow(this.db),
      });
      return {
        status: 'pending',
        reasons: [],
        requestId: id,
        waitingFor: decision.waitingFor,
        record: null,
      };
    }
    if (!input.fileName) {
      throw new AppError('VALIDATION', 'Name the file to write.', {
        fieldErrors: { fileName: 'Required.' },
      });
    }
    const record = await this.export(session, actor, input, input.fileName, [], null);
    return { status: 'completed', reasons: [], requestId: null, waitingFor: [], record };
  }

  async decideApproval(
    session: Session,
    actor: Actor,
    requestId: string,
    decision: 'approved' | 'rejected',
    note: string | null,
  ): Promise<DisclosureRequestView> {
    const req = await this.requestRow(requestId);
    if (req.status !== 'pending')
      throw new AppError('CONFLICT', `This request is already ${req.status}.`);
    if (req.requester_id === actor.staffId) {
      throw new AppError(
        'FORBIDDEN',
        'You cannot approve or reject your own request: a second person must.',
      );
    }
    const needed = PURPOSE_RULES[req.purpose].approvals as readonly Role[];
    if (!needed.includes(actor.role)) {
      throw new AppError(
        'FORBIDDEN',
        `${PURPOSE_RULES[req.purpose] && req.purpose.replace(/_/g, ' ')} requests are approved by: ${needed.map((r) => ROLE_LABELS[r]).join(' and ')}.`,
      );
    }
    // Decided under the request's row lock: two approvers of one role approving at once, or an
    // approval racing a rejection, take turns, and each sees the other's decision (main/db/locks.ts).
    // Everything that reads outside the transaction happens first (SQLite has one connection).
    const requester = { staffId: req.requester_id, role: await this.roleOf(req.requester_id) };
    const requesterAccess = await this.accessFor(requester.role);
    const input = this.inputOf(req);
    const { status, gate, all } = await this.db.transaction(async (trx) => {
      await lockRows(trx, 'disclosure_requests', { id: requestId });
      const current = await this.requestRow(requestId, trx);
      if (current.status !== 'pending')
        throw new AppError('CONFLICT', `This request is already ${current.status}.`);
      const approvals = await this.approvalsOf(requestId, trx);
      if (approvals.some((a) => a.staffId === actor.staffId)) {
        throw new AppError('CONFLICT', 'You have already decided on this request.');
      }
      // Four eyes count people: not an account the requester or a co-approver made or reset.
      const fourEyes = new DisclosureFourEyes(trx);
      const { counted } = await fourEyes.counted(req.requester_id, approvals);
      if (decision === 'approved') {
        const refusal = await fourEyes.approvalRefusal(
          req.requester_id,
          actor.staffId,
          counted,
          this.clock.now(),
        );
        if (refusal) throw new AppError('FORBIDDEN', refusal);
      }
      if (counted.some((a) => a.role === actor.role && a.decision === 'approved')) {
        throw new AppError(
          'CONFLICT',
          `A ${ROLE_LABELS[actor.role]} has already approved this request; it needs a different role now.`,
        );
      }
      await trx('disclosure_approvals').insert({
        id: uuidv7(),
        request_id: requestId,
        staff_id: actor.staffId,
        role: actor.role,
        decision,
        note,
        at: dbNow(trx),
      });
      const all = await this.approvalsOf(requestId, trx);
      const gate = await this.decide(
        requester,
        input,
        (await fourEyes.counted(req.requester_id, all)).counted,
        trx,
        requesterAccess,
      );
      const status =
        decision === 'rejected' || gate.outcome === 'refused'
          ? 'rejected'
          : gate.outcome === 'admitted'
            ? 'approved'
            : 'pending';
      await trx('disclosure_requests')
        .where({ id: requestId })
        .update({ status, updated_at: dbNow(trx) });
      return { status, gate, all };
    });
    if (status === 'rejected') {
      const reasons =
        gate.outcome === 'refused' ? gate.reasons : ['an approver rejected the request'];
      await this.refuse(session, requester, input, reasons, all, requestId);
    }
    return this.requestView(await this.requestRow(requestId), actor);
  }

  async execute(
    session: Session,
    actor: Actor,
    requestId: string,
    fileName: string,
  ): Promise<DisclosureOutcome> {
    const req = await this.requestRow(requestId);
    if (req.requester_id !== actor.staffId)
      throw new AppError('FORBIDDEN', 'Only the requester can carry out an approved request.');
    await this.claim(requestId);
    try {
      return await this.executeClaimed(session, actor, req, fileName);
    } catch (err) {
      // Nothing was disclosed (a file name taken, a database error): the approval stands.
      await this.setRequestStatus(requestId, 'approved', 'executing');
      throw err;
    }
  }

  /**
   * Takes an approved request for execution in one conditional write, so that two executions of
   * one approval at once (two windows, two workstations) cannot both disclose: the second finds
   * it no longer approved. A crash mid-execution leaves it claimed; start-up gives it back.
   */
  private async claim(requestId: string): Promise<void> {
    const claimed = await this.db('disclosure_requests')
      .where({ id: requestId, status: 'approved' })
      .update({ status: 'executing', updated_at: dbNow(this.db) });
    if (claimed > 0) return;
    const { status } = await this.requestRow(requestId);
    throw new AppError(
      'CONFLICT',
      status === 'executing'
        ? 'This request is being carried out right now (in another window or on another workstation).'
        : `This request is ${status}, not approved.`,
    );
  }

  private async setRequestStatus(requestId: string, status: string, from: string): Promise<void> {
    await this.db('disclosure_requests')
      .where({ id: requestId, status: from })
      .update({ status, updated_at: dbNow(this.db) });
  }

  private async executeClaimed(
    session: Session,
    actor: Actor,
    req: RequestRow,
    fileName: string,
  ): Promise<DisclosureOutcome> {
    const requestId = req.id;
    const approvals = await this.approvalsOf(requestId);
    const input = this.inputOf(req);
    // The conditions are checked again now: an account may have changed since approval, and an
    // approver's account may since have been made or reset by the requester or a co-approver.
    const people = await new DisclosureFourEyes(this.db).counted(actor.staffId, approvals);
    const gate = await this.decide(actor, input, people.counted);
    if (gate.outcome !== 'admitted') {
      const reasons = [
        ...people.reasons,
        ...(gate.outcome === 'refused'
          ? gate.reasons
          : [`still waiting for ${gate.waitingFor.join(' and ')}`]),
      ];
      await this.setRequestStatus(requestId, 'rejected', 'executing');
      return this.refuse(session, actor, input, reasons, approvals, requestId);
    }
    const record = await this.export(session, actor, input, fileName, approvals, requestId);
    await this.setRequestStatus(requestId, 'done', 'executing');
    return { status: 'completed', reasons: [], requestId, waitingFor: [], record };
  }

  /**
   * At start-up, after recoverIncomplete: a request left claimed by a crash is done if its
   * disclosure completed, and approved again otherwise (nothing left, or its file was abandoned).
   */
  async releaseInterruptedClaims(): Promise<void> {
    const claimed: { id: string }[] = await this.db('disclosure_requests')
      .where({ status: 'executing' })
      .select('id');
    for (const { id } of claimed) {
      const completed = await this.db('disclosure_log as a')
        .join('disclosure_log as f', 'f.ref_seq', 'a.seq')
        .where({ 'a.request_id': id, 'a.kind': 'admitted', 'f.kind': 'completed' })
        .first('a.seq');
      await this.setRequestStatus(id, completed ? 'done' : 'approved', 'executing');
    }
  }

  async inbox(actor: Actor): Promise<DisclosureRequestView[]> {
    const rows: RequestRow[] = await this.db('disclosure_requests')
      .whereIn('status', ['pending', 'approved', 'rejected'])
      .orderBy('id', 'desc')
      .limit(200);
    const views = await Promise.all(rows.map((r) => this.requestView(r, actor)));
    return views.filter((v) => v.requesterId === actor.staffId || v.canDecide);
  }

  // ---- the log ----------------------------------------------------------------------------

  async log(filter: {
    purpose?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  }): Promise<{ records: DisclosureRecordView[]; nextCursor: number | null }> {
    const q = this.db('disclosure_log').whereIn('kind', ['refused', 'admitted']);
    if (filter.purpose) q.where({ purpose: filter.purpose });
    if (filter.cursor) q.where('seq', '<', filter.cursor);
    const rows = await q.orderBy('seq', 'desc').limit(filter.limit + 1);
    const page = rows.slice(0, filter.limit);
    return {
      records: await this.withStatus(page),
      nextCursor: rows.length > filter.limit ? Number(page.at(-1)!.seq) : null,
    };
  }

  /** Per customer: every disclosure that included them (named, or all accounts by transfer). */
  async accounting(accountId: string): Promise<DisclosureRecordView[]> {
    const account = await this.db('accounts').where({ id: accountId }).first('id', 'created_at');
    if (!account) throw new AppError('NOT_FOUND', 'No such account.');
    const named = this.db('disclosure_accounts').select('seq').where({ account_id: accountId });
    const rows = await this.db('disclosure_log')
      .where('kind', 'admitted')
      .andWhere((w) =>
        w
          .whereIn('seq', named)
          .orWhere((b) =>
            b.where('account_ids', '["*"]').andWhere('recorded_at', '>=', account.created_at),
          ),
      )
      .orderBy('seq', 'desc');
    return (await this.withStatus(rows)).filter((r) => r.status !== 'abandoned');
  }

  private async withStatus(rows: Record<string, unknown>[]): Promise<DisclosureRecordView[]> {
    const admitted = rows.filter((r) => r.kind === 'admitted').map((r) => Number(r.seq));
    const followUps = new Map<number, Record<string, unknown>>();
    for (let i = 0; i < admitted.length; i += CHUNK) {
      const f = await this.db('disclosure_log').whereIn('ref_seq', admitted.slice(i, i + CHUNK));
      for (const r of f) followUps.set(Number(r.ref_seq), r);
    }
    return rows.map((r) => toRecordView(r, statusOf(r, followUps)));
  }

  async verify(checkpoint: AuditCheckpoint | null): Promise<ChainVerification> {
    return verifyAudit(this.db, { key: this.signingKey, witnesses: this.witnesses, checkpoint });
  }

  async checkpoint(): Promise<AuditCheckpoint> {
    const report = await verifyChain(this.db);
    if (!report.ok) {
      throw new AppError(
        'CONFLICT',
        `The chain does not verify (${report.problem?.message}); a checkpoint would certify a broken chain.`,
      );
    }
    return signCheckpoint(
      this.signingKey(),
      { seq: report.headSeq, hash: report.headHash },
      this.clock.now().toISOString(),
    );
  }

  /**
   * At start-up: an admitted record with neither a completion nor an abandonment is the trace of
   * a crash mid-export. A file under its final name with the recorded hash is completed;
   * otherwise its temporary file is removed and the record is marked abandoned.
   */
  async recoverIncomplete(workstation: string): Promise<DisclosureRecordView[]> {
    const handled: DisclosureRecordView[] = [];
    for (const r of await this.unresolved()) {
      const file = String(r.file_path);
      const placed = fs.existsSync(file) && (await sha256File(file)) === r.sha256;
      for (const temp of tempFilesFor(path.dirname(file), path.basename(file)))
        fs.rmSync(temp, { force: true });
      faultPoint('recovery-after-temp-cleanup');
      const kind = placed ? 'completed' : 'abandoned';
      if (await this.resolveOnce(r, kind, workstation)) handled.push(toRecordView(r, kind));
      faultPoint('recovery-after-first');
    }
    await this.removeStrayTempFiles();
    return handled;
  }

  /** Admitted records with neither a completion nor an abandonment, oldest first. */
  private unresolved(): Promise<Record<string, unknown>[]> {
    return this.db('disclosure_log as a')
      .where('a.kind', 'admitted')
      .whereNotExists(this.db('disclosure_log as f').whereRaw('f.ref_seq = a.seq'))
      .orderBy('a.seq');
  }

  /**
   * Appends a record's completion or abandonment unless one exists: a recovery killed after
   * appending, or another workstation starting at the same moment, must not resolve it twice.
   * The chain's head is locked first, so the check and the append cannot interleave.
   */
  private resolveOnce(
    r: Record<string, unknown>,
    kind: 'completed' | 'abandoned',
    workstation: string,
  ): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      await trx('audit_heads')
        .where({ chain: 'disclosures' })
        .update({ seq: trx.raw('seq') });
      const done = await trx('disclosure_log')
        .where({ ref_seq: Number(r.seq) })
        .first('seq');
      if (done) return false;
      await this.append(trx, { ...followUp(r, kind), workstation });
      return true;
    });
  }

  /**
   * A temporary file no unresolved record claims holds customer data that left no trace in the
   * log (a crash before its record committed): it is removed at every start. A temporary file an
   * unresolved record claims belongs to an export in progress elsewhere (PostgreSQL, another
   * process on this machine) and is left to it.
   */
  private async removeStrayTempFiles(): Promise<void> {
    const claimed = (await this.unresolved()).map((r) => {
      const file = String(r.file_path);
      return path.join(path.dirname(file), `.${path.basename(file)}.`);
    });
    for (const temp of tempFilesIn(this.exportDir)) {
      if (!claimed.some((prefix) => temp.startsWith(prefix))) fs.rmSync(temp, { force: true });
    }
  }

  // ---- internal exports -------------------------------------------------------------------

  async internalExport(
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
    return this.writeInternal(session, actor, {
      columns: input.fields,
      chunks: this.accounts.exportRows(actor, input.query, input.fields),
      format: input.format,
      fileName: input.fileName,
      accountIds: [],
      screen: 'accounts.export',
      queryKind: input.query.search ? (input.query.searchKind ?? 'auto') : null,
    });
  }

  /** A customer's accounting of disclosures, saved for them by compliance (and itself logged). */
  async accountingReport(
    session: Session,
    actor: Actor,
    input: { accountId: string; format: ExportFormat; fileName: string },
  ): Promise<DisclosureRecordView> {
    const records = await this.accounting(input.accountId);
    const columns = [
      'date',
      'recipient',
      'recipientType',
      'recipientAddress',
      'purpose',
      'legalBasis',
      'fields',
    ];
    const rows = (async function* (): AsyncGenerator<ExportRow> {
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
    })();
    return this.writeInternal(session, actor, {
      columns,
      rows,
      format: input.format,
      fileName: input.fileName,
      accountIds: [input.accountId],
      screen: 'accounts.disclosures.report',
      queryKind: null,
    });
  }

  async accessLogExport(
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
    return this.writeInternal(session, actor, {
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

  async saveCheckpoint(
    fileName: string,
  ): Promise<{ checkpoint: AuditCheckpoint; fileName: string }> {
    const checkpoint = await this.checkpoint();
    if (!fileName.endsWith('.json')) {
      throw new AppError('VALIDATION', 'A checkpoint is saved as .json.', {
        fieldErrors: { fileName: 'Use .json.' },
      });
    }
    fs.mkdirSync(this.exportDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      path.join(this.exportDir, fileName),
      `${JSON.stringify(checkpoint, null, 2)}\n`,
      { flag: 'wx', mode: 0o600 },
    );
    return { checkpoint, fileName };
  }

  /** Admitted records that never completed: crashes mid-export, for compliance to review. */
  async interrupted(): Promise<DisclosureRecordView[]> {
    const rows = await this.db('disclosure_log as a')
      .where('a.kind', 'admitted')
      .whereExists(
        this.db('disclosure_log as f').whereRaw('f.ref_seq = a.seq').where('f.kind', 'abandoned'),
      )
      .orderBy('a.seq', 'desc')
      .limit(500);
    return rows.map((r) => toRecordView(r, 'abandoned'));
  }

  private async writeInternal(
    session: Session,
    actor: Actor,
    spec: {
      columns: readonly string[];
      format: ExportFormat;
      fileName: string;
      accountIds: readonly string[];
      screen: string;
      queryKind: string | null;
      action?: 'export' | 'export_access_log';
    } & ExportRows,
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
    const view = await this.publish(spec.fileName, spec.format, spec.columns, source, body);
    await this.accessLog.record(session, {
      action: spec.action ?? 'export',
      screen: spec.screen,
      queryKind: spec.queryKind,
      recordIds: spec.accountIds,
      resultCount: view.rowCount,
    });
    return view;
  }

  /** Writes a file through the crash-safe writer with its intent and completion records. */
  private async publish(
    fileName: string,
    format: ExportFormat,
    columns: readonly string[],
    source: ExportRows,
    body: (file: WrittenFile) => RecordBody,
  ): Promise<DisclosureRecordView> {
    let intent: StoredRecord | null = null;
    await writeExport({
      dir: this.exportDir,
      fileName,
      format,
      columns,
      ...source,
      // The record is on disk before the file gets its final name: a power cut must not keep a
      // file whose record it lost (main/db/durable.ts).
      recordIntent: async (file) => {
        intent = await durableTransaction(this.db, (trx) => this.append(trx, body(file)));
      },
      recordDone: async () => {
        await this.db.transaction((trx) => this.append(trx, followUp(intent!, 'completed')));
      },
    });
    return toRecordView(intent!, 'completed');
  }

  /**
   * A debt-collection disclosure whose accounts are chosen, checked, written and changed in one
   * transaction (collection batches): the record, the file's hash and the accounts' new standing
   * commit together or not at all, and the file appears only after that commit.
   */
  async discloseWithin(
    session: Session,
    actor: Actor,
    spec: {
      recipientId: string;
      fields: readonly FieldKey[];
      extraColumns: readonly string[];
      format: ExportFormat;
      fileName: string;
      batchId: string;
      select: (trx: Knex.Transaction) => Promise<string[]>;
      rows: (trx: Knex.Transaction, ids: readonly string[]) => AsyncIterable<ExportRow>;
      beforeCommit: (trx: Knex.Transaction, ids: readonly string[], seq: number) => Promise<void>;
    },
  ): Promise<DisclosureOutcome> {
    // Everything that reads outside the transaction happens first: on SQLite the pool has one
    // connection, and the transaction holds it.
    const access = await this.accessFor(actor.role);
    const recipient = await this.db('recipients').where({ id: spec.recipientId }).first();
    const input: DisclosureInput = {
      recipientId: spec.recipientId,
      purpose: 'debt_collection',
      accountIds: [],
      allAccounts: false,
      fields: spec.fields,
      format: spec.format,
    };
    const base = await this.baseBody(session, actor, input, recipient, [], spec.batchId);
    // Durable: its commit is on disk before the placement file gets its final name.
    const durable = await startDurableTransaction(this.db);
    const trx = durable.trx;
    try {
      // Take the write lock first, so the selection cannot change under us.
      await trx('audit_heads')
        .where({ chain: 'disclosures' })
        .update({ seq: trx.raw('seq') });
      const ids = await spec.select(trx);
      const decision = await this.decide(actor, { ...input, accountIds: ids }, [], trx, access);
      if (decision.outcome !== 'admitted') {
        await durable.rollback();
        const reasons = decision.outcome === 'refused' ? decision.reasons : [];
        return this.refuse(
          session,
          actor,
          { ...input, accountIds: ids },
          reasons,
          [],
          spec.batchId,
        );
      }
      let intent: StoredRecord | null = null;
      await writeExport({
        dir: this.exportDir,
        fileName: spec.fileName,
        format: spec.format,
        columns: [...spec.fields, ...spec.extraColumns],
        rows: spec.rows(trx, ids),
        recordIntent: async (file) => {
          intent = await this.append(trx, {
            ...base,
            account_ids: JSON.stringify(ids),
            row_count: file.rowCount,
            file_path: file.finalPath,
            sha256: file.sha256,
          });
          await spec.beforeCommit(trx, ids, Number(intent.seq));
          faultPoint('batch-before-commit');
          await durable.commit();
        },
        recordDone: async () => {
          await this.db.transaction((t) => this.append(t, followUp(intent!, 'completed')));
        },
      });
      await this.accessLog.record(session, {
        action: 'export',
        screen: 'collections.batch',
        recordIds: ids,
      });
      const record = toRecordView(intent!, 'completed');
      return { status: 'completed', reasons: [], requestId: spec.batchId, waitingFor: [], record };
    } catch (err) {
      await durable.rollback().catch(() => undefined); // nothing once committed
      throw err;
    }
  }

  // ---- internals --------------------------------------------------------------------------

  private async decide(
    actor: Actor,
    input: DisclosureInput,
    approvals: readonly GateApproval[],
    q: Knex | Knex.Transaction = this.db,
    access?: AccessMap,
  ) {
    const recipient = await q('recipients').where({ id: input.recipientId }).first();
    if (!recipient)
      throw new AppError('NOT_FOUND', 'No such recipient.', {
        fieldErrors: { recipientId: 'Choose a registered recipient.' },
      });
    const { accounts, missing } = input.allAccounts
      ? { accounts: [], missing: [] }
      : await this.gateAccounts(input.accountIds, q);
    return evaluateDisclosure({
      purpose: input.purpose,
      recipient: { name: recipient.name, type: recipient.type, active: Boolean(recipient.active) },
      requester: actor,
      access: access ?? (await this.accessFor(actor.role)),
      fields: input.fields,
      accounts,
      missingAccountIds: missing,
      allAccounts: input.allAccounts,
      legal: input.legal ?? null,
      justification: input.justification ?? null,
      approvals,
      today: this.clock.now().toISOString().slice(0, 10),
    });
  }

  private async gateAccounts(
    ids: readonly string[],
    q: Knex | Knex.Transaction = this.db,
  ): Promise<{ accounts: GateAccount[]; missing: string[] }> {
    const accounts: GateAccount[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const rows = await q('accounts')
        .whereIn('id', chunk)
        .select('id', 'account_number', 'standing', 'fraud_flag');
      const holds = new Map<string, HoldKind[]>();
      for (const h of await q('account_holds')
        .whereIn('account_id', chunk)
        .select('account_id', 'kind')) {
        holds.set(h.account_id, [...(holds.get(h.account_id) ?? []), h.kind as HoldKind]);
      }
      for (const r of rows) {
        accounts.push({
          id: r.id,
          accountNumber: r.account_number,
          standing: r.standing as Standing,
          fraudFlag: r.fraud_flag as FraudFlag,
          holds: holds.get(r.id) ?? [],
        });
      }
    }
    const found = new Set(accounts.map((a) => a.id));
    return { accounts, missing: unique.filter((id) => !found.has(id)) };
  }

  private async refuse(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    reasons: string[],
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<DisclosureOutcome> {
    const recipient = await this.db('recipients').where({ id: input.recipientId }).first();
    // Built before the transaction: on SQLite the pool has one connection, held by the transaction.
    const body: RecordBody = {
      ...(await this.baseBody(session, actor, input, recipient, approvals, requestId)),
      kind: 'refused',
      // One reason per line: a reason itself may contain '; '.
      refusal: reasons.join('\n'),
    };
    const rec = await this.db.transaction((trx) => this.append(trx, body));
    return {
      status: 'refused',
      reasons,
      requestId,
      waitingFor: [],
      record: toRecordView(rec, 'refused'),
    };
  }

  private async baseBody(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    recipient: Record<string, unknown> | undefined,
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<RecordBody> {
    const staff = await this.db('staff').where({ id: actor.staffId }).first('display_name');
    return {
      id: uuidv7(),
      kind: 'admitted',
      ref_seq: null,
      staff_id: actor.staffId,
      staff_name: staff?.display_name ?? null,
      workstation: session.client.hostname,
      approvers: JSON.stringify(await this.approverDetails(approvals)),
      recipient_id: input.recipientId,
      recipient_name: (recipient?.name as string) ?? null,
      recipient_contact: (recipient?.contact as string) ?? null,
      recipient_type: (recipient?.type as string) ?? null,
      purpose: input.purpose,
      legal_basis: legalBasis(input.purpose, input.legal ?? null, input.justification ?? null),
      account_ids: JSON.stringify(input.allAccounts ? ['*'] : [...new Set(input.accountIds)]),
      fields: JSON.stringify(input.fields),
      row_count: 0,
      file_path: null,
      format: input.format,
      sha256: null,
      refusal: null,
      request_id: requestId,
    };
  }

  private async export(
    session: Session,
    actor: Actor,
    input: DisclosureInput,
    fileName: string,
    approvals: readonly GateApproval[],
    requestId: string | null,
  ): Promise<DisclosureRecordView> {
    const recipient = await this.db('recipients').where({ id: input.recipientId }).first();
    const base = await this.baseBody(session, actor, input, recipient, approvals, requestId);
    const ids = input.allAccounts ? null : [...new Set(input.accountIds)];
    const view = await this.publish(
      fileName,
      input.format,
      input.fields,
      { rows: this.rawRows(ids, input.fields) },
      (file) => ({
        ...base,
        row_count: file.rowCount,
        file_path: file.finalPath,
        sha256: file.sha256,
      }),
    );
    await this.accessLog.record(session, {
      action: 'export',
      screen: `disclosure.${input.purpose}`,
      recordIds: ids ?? [],
      resultCount: view.rowCount,
    });
    return view;
  }

  /** The disclosed values themselves: the gate already required the requester to read every field. */
  private async *rawRows(
    ids: readonly string[] | null,
    fields: readonly FieldKey[],
  ): AsyncGenerator<ExportRow> {
    const emit = (r: AccountRecord): ExportRow => {
      const values = rowToValues(r);
      return Object.fromEntries(fields.map((f) => [f, values[f]]));
    };
    if (ids) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await this.db<AccountRecord>('accounts')
          .whereIn('id', ids.slice(i, i + CHUNK))
          .orderBy('id');
        for (const r of rows) yield emit(r);
      }
      return;
    }
    let after = '00000000-0000-0000-0000-000000000000'; // below every id; '' is no uuid on pg
    for (;;) {
      const rows = await this.db<AccountRecord>('accounts')
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000);
      for (const r of rows) yield emit(r);
      if (rows.length < 1000) return;
      after = rows.at(-1)!.id;
    }
  }

  private async approvalsOf(
    requestId: string,
    q: Knex | Knex.Transaction = this.db,
  ): Promise<GateApproval[]> {
    const rows = await q('disclosure_approvals').where({ request_id: requestId }).orderBy('id');
    return rows.map((r) => ({
      staffId: r.staff_id,
      role: r.role,
      decision: r.decision,
      at: toIso(r.at),
    }));
  }

  private async approverDetails(approvals: readonly GateApproval[]): Promise<DisclosureApprover[]> {
    const out: DisclosureApprover[] = [];
    for (const a of approvals.filter((x) => x.decision === 'approved')) {
      const s = await this.db('staff').where({ id: a.staffId }).first('display_name');
      out.push({
        staffId: a.staffId,
        name: s?.display_name ?? '?',
        role: a.role,
        at: (a as { at?: string }).at ?? '',
      });
    }
    return out;
  }

  private async roleOf(staffId: string): Promise<Role> {
    const s = await this.db('staff').where({ id: staffId }).first('role');
    return s.role as Role;
  }

  private async requestRow(id: string, q: Knex | Knex.Transaction = this.db): Promise<RequestRow> {
    const row = await q('disclosure_requests').where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such disclosure request.');
    return row as RequestRow;
  }

  private inputOf(req: RequestRow): DisclosureInput {
    const ids = JSON.parse(req.account_ids) as string[];
    return {
      recipientId: req.recipient_id,
      purpose: req.purpose,
      accountIds: ids[0] === '*' ? [] : ids,
      allAccounts: ids[0] === '*',
      fields: JSON.parse(req.fields) as FieldKey[],
      format: req.format,
      legal: req.legal ? (JSON.parse(req.legal) as LegalInstrument) : null,
      justification: req.justification,
    };
  }

  private async requestView(req: RequestRow, viewer: Actor): Promise<DisclosureRequestView> {
    const approvals = await this.approvalsOf(req.id);
    const recipient = await this.db('recipients')
      .where({ id: req.recipient_id })
      .first('name', 'type');
    const requester = await this.db('staff').where({ id: req.requester_id }).first('display_name');
    const needed = PURPOSE_RULES[req.purpose].approvals as readonly Role[];
    const approvedRoles = approvals.filter((a) => a.decision === 'approved').map((a) => a.role);
    const waitingFor = needed.filter((r) => !approvedRoles.includes(r));
    const names = new Map<string, string>();
    for (const a of approvals) {
      names.set(
        a.staffId,
        (await this.db('staff').where({ id: a.staffId }).first('display_name'))?.display_name ??
          '?',
      );
    }
    const input = this.inputOf(req);
    return {
      id: req.id,
      requester: requester?.display_name ?? '?',
      requesterId: req.requester_id,
      recipientName: recipient?.name ?? '?',
      recipientType: recipient?.type ?? '?',
      purpose: req.purpose,
      accountCount: input.allAccounts ? -1 : input.accountIds.length,
      fields: [...input.fields],
      format: req.format,
      justification: req.justification,
      status: req.status as DisclosureRequestView['status'],
      waitingFor: waitingFor.map((r) => ROLE_LABELS[r]),
      approvals: approvals.map((a) => ({
        name: names.get(a.staffId) ?? '?',
        role: a.role,
        decision: a.decision,
        at: (a as { at?: string }).at ?? '',
      })),
      createdAt: toIso(req.created_at),
      canDecide:
        req.status === 'pending' &&
        req.requester_id !== viewer.staffId &&
        waitingFor.includes(viewer.role) &&
        !approvals.some((a) => a.staffId === viewer.staffId),
    };
  }
}

function legalBasis(
  purpose: LoggedPurpose,
  legal: LegalInstrument | null,
  justification: string | null,
): string {
  let text = LEGAL_BASIS[purpose];
  if (purpose === 'legal_process' && legal) {
    text += ` ${INSTRUMENT_LABELS[legal.instrumentType]} ${legal.reference}, issued by ${legal.authority} on ${legal.date}.`;
  }
  if (purpose === 'exigent_circumstances' && justification)
    text += ` Justification: ${justification}`;
  return text;
}

/** The record that completes or abandons an admitted one: the same facts, pointing back to it. */
function followUp(intent: Record<string, unknown>, kind: 'completed' | 'abandoned'): RecordBody {
  return {
    id: uuidv7(),
    kind,
    ref_seq: Number(intent.seq),
    staff_id: intent.staff_id as string | null,
    staff_name: intent.staff_name as string | null,
    workstation: String(intent.workstation),
    approvers: String(intent.approvers),
    recipient_id: intent.recipient_id as string | null,
    recipient_name: intent.recipient_name as string | null,
    recipient_contact: intent.recipient_contact as string | null,
    recipient_type: intent.recipient_type as string | null,
    purpose: String(intent.purpose),
    legal_basis: String(intent.legal_basis),
    account_ids: '[]',
    fields: String(intent.fields),
    row_count: Number(intent.row_count),
    file_path: intent.file_path as string | null,
    format: intent.format as string | null,
    sha256: intent.sha256 as string | null,
    refusal: null,
    request_id: intent.request_id as string | null,
  };
}
