/**
 * Workstation enrolment (issue 15): one-time codes an administrator issues, claimed by a
 * workstation that sends a certificate request made on it; and the check, on every request to
 * the team server, that the client certificate belongs to an enrolment not revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EnrolmentCode, EnrolmentView } from '../../shared/channels/enrolments';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/handle';
import { EnrolmentStore, type EnrolmentRow } from '../db/stores/enrolments';
import type { Clock } from './clock';

export const CODE_MINUTES = 30;
/** No 0/O, 1/I/L: read out over the phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function hashCode(code: string): string {
  const plain = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

function newCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

function hhmm(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const notEnrolled = (message: string) => new AppError('NOT_ENROLLED', message);

export class EnrolmentService {
  private readonly store: EnrolmentStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.store = new EnrolmentStore(db);
  }

  async issue(label: string, issuedBy: string | null): Promise<EnrolmentCode> {
    const code = newCode();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString();
    const id = uuidv7();
    await this.store.insert({
      id,
      label,
      codeHash: hashCode(code),
      issuedBy,
      issuedAt: now.toISOString(),
      expiresAt,
    });
    return { id, code, expiresAt };
  }

  /** The enrolment a code names, if it may still be used; refused with the reason otherwise. */
  async claimable(code: string): Promise<EnrolmentRow> {
    const row = await this.store.findByCode(hashCode(code));
    const ask = 'Ask your administrator for a new enrolment code.';
    if (!row)
      throw notEnrolled(
        `That enrolment code is not known to the server. Check it, or ${ask.toLowerCase()}`,
      );
    if (row.revokedAt) throw notEnrolled(`That enrolment was revoked. ${ask}`);
    if (row.usedAt)
      throw notEnrolled(`That enrolment code was already used; a code works once. ${ask}`);
    if (row.expiresAt <= this.clock.now().toISOString()) {
      throw notEnrolled(`That enrolment code expired at ${hhmm(row.expiresAt)}. ${ask}`);
    }
    return row;
  }

  /** Records the certificate issued for a claimed code; refused if the code was used meanwhile. */
  async complete(
    id: string,
    cert: { serial: string; fingerprint: string; from: string },
  ): Promise<void> {
    const done = await this.store.markUsed(id, {
      usedAt: this.clock.now().toISOString(),
      certSerial: cert.serial,
      certFingerprint: cert.fingerprint,
      enrolledFrom: cert.from,
    });
    if (!done) {
      throw notEnrolled(
        'That enrolment code was already used; a code works once. Ask your administrator for a new enrolment code.',
      );
    }
  }

  /** Refuses a client certificate that is not an enrolment's, or whose enrolment was revoked. */
  async checkCertificate(serial: string | null): Promise<void> {
    this.refuseUnlessEnrolled(serial, serial ? await this.store.findBySerial(serial) : null);
  }

  /**
   * The same refusal, on the enrolment row already read for `serial` (null: no enrolment has it),
   * by the team server's one-statement door (ServerSessionService.atDoor).
   */
  refuseUnlessEnrolled(serial: string | null, row: { revokedAt: string | null } | null): void {
    const enrol =
      'Ask your administrator for an enrolment code and enter it in Settings → Team server.';
    if (!serial)
      throw notEnrolled(`This workstation is not enrolled with the team server. ${enrol}`);
    if (!row)
      throw notEnrolled(`This workstation's certificate is not one the server issued. ${enrol}`);
    if (row.revokedAt) {
      throw notEnrolled(
        `This workstation's enrolment was revoked by an administrator on ${hhmm(row.revokedAt)}. ${enrol}`,
      );
    }
  }

  async list(): Promise<EnrolmentView[]> {
    const now = this.clock.now().toISOString();
    return (await this.store.list()).map((r) => this.view(r, now));
  }

  async revoke(id: string, by: string | null): Promise<EnrolmentView> {
    const at = this.clock.now().toISOString();
    await this.store.revoke(id, by, at);
    const row = (await this.store.list()).find((r) => r.id === id);
    if (!row) throw new AppError('NOT_FOUND', 'There is no such enrolment.');
    return this.view(row, at);
  }

  private view(r: EnrolmentRow, now: string): EnrolmentView {
    const state = r.revokedAt
      ? 'revoked'
      : r.usedAt
        ? 'enrolled'
        : r.expiresAt <= now
          ? 'expired'
          : 'waiting';
    return {
      id: r.id,
      label: r.label,
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
      state,
      usedAt: r.usedAt,
      certFingerprint: r.certFingerprint,
      enrolledFrom: r.enrolledFrom,
      revokedAt: r.revokedAt,
    };
  }
}
