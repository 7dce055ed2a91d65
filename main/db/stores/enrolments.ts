/** Workstation enrolments (migration 0016): one-time codes and the certificates they became. */
import type { Knex } from 'knex';

export interface EnrolmentRow {
  id: string;
  label: string;
  issuedBy: string | null;
  issuedAt: string;
  expiresAt: string;
  usedAt: string | null;
  certSerial: string | null;
  certFingerprint: string | null;
  enrolledFrom: string | null;
  revokedAt: string | null;
}

function toRow(r: Record<string, unknown>): EnrolmentRow {
  const opt = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    label: String(r.label),
    issuedBy: opt(r.issued_by),
    issuedAt: String(r.issued_at),
    expiresAt: String(r.expires_at),
    usedAt: opt(r.used_at),
    certSerial: opt(r.cert_serial),
    certFingerprint: opt(r.cert_fingerprint),
    enrolledFrom: opt(r.enrolled_from),
    revokedAt: opt(r.revoked_at),
  };
}

export class EnrolmentStore {
  constructor(private readonly db: Knex) {}

  async insert(row: {
    id: string;
    label: string;
    codeHash: string;
    issuedBy: string | null;
    issuedAt: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db('workstation_enrolments').insert({
      id: row.id,
      label: row.label,
      code_hash: row.codeHash,
      issued_by: row.issuedBy,
      issued_at: row.issuedAt,
      expires_at: row.expiresAt,
    });
  }

  async findByCode(codeHash: string): Promise<EnrolmentRow | null> {
    const r = (await this.db('workstation_enrolments').where('code_hash', codeHash).first()) as
      Record<string, unknown> | undefined;
    return r ? toRow(r) : null;
  }

  async findBySerial(serial: string): Promise<EnrolmentRow | null> {
    const r = (await this.db('workstation_enrolments')
      .where('cert_serial', serial.toUpperCase())
      .first()) as Record<string, unknown> | undefined;
    return r ? toRow(r) : null;
  }

  /** Marks a code used, once: false when another request used it first. */
  async markUsed(
    id: string,
    use: { usedAt: string; certSerial: string; certFingerprint: string; enrolledFrom: string },
  ): Promise<boolean> {
    const n = await this.db('workstation_enrolments')
      .where({ id })
      .whereNull('used_at')
      .update({
        used_at: use.usedAt,
        cert_serial: use.certSerial.toUpperCase(),
        cert_fingerprint: use.certFingerprint,
        enrolled_from: use.enrolledFrom.slice(0, 64),
      });
    return n === 1;
  }

  async list(): Promise<EnrolmentRow[]> {
    const rows = (await this.db('workstation_enrolments').orderBy('issued_at', 'desc')) as Record<
      string,
      unknown
    >[];
    return rows.map(toRow);
  }

  async revoke(id: string, by: string | null, at: string): Promise<boolean> {
    const n = await this.db('workstation_enrolments')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: at, revoked_by: by });
    return n === 1;
  }
}
