import type { KeyObject } from 'node:crypto';
import type { AuditCheckpoint, ChainVerification, WitnessCheck } from '../../../shared/types';
import type { ChainStore } from '../../db/stores/disclosures-chain';
import { verifyChain } from './chain';
import { checkCheckpoint } from './checkpoint';
import type { WitnessLog } from './witness';

/**
 * The one verification of the disclosure log, for the console and `custodian verify-audit`
 * alike: the chain and every table derived from it (verifyChain), a checkpoint if one is given,
 * and every witness found outside the database.
 */
export async function verifyAudit(
  chain: ChainStore,
  opts: { key: () => KeyObject; witnesses: WitnessLog; checkpoint: AuditCheckpoint | null },
): Promise<ChainVerification> {
  const started = performance.now();
  const report = await verifyChain(chain);
  const checkpoint = opts.checkpoint
    ? await checkCheckpoint(chain, opts.key(), opts.checkpoint)
    : null;
  const witnesses = missingEverywhere(await opts.witnesses.check(), report.records);
  return {
    ok: report.ok && (checkpoint?.ok ?? true) && witnesses.every((w) => w.ok),
    records: report.records,
    headSeq: report.headSeq,
    headHash: report.headHash,
    problem: report.problem ?? null,
    checkpoint,
    witnesses,
    millis: Math.round(performance.now() - started),
  };
}

/**
 * A witness is written after every record (and at start-up for a log that had none), so a log
 * with records and no witness in any folder lost it: it was deleted, or the database's identity
 * was changed so that its witness is no longer found.
 */
function missingEverywhere(checks: WitnessCheck[], records: number): WitnessCheck[] {
  if (records === 0 || checks.some((c) => c.found)) return checks;
  return checks.map((c) => ({
    ...c,
    ok: false,
    message:
      'no witness here nor in any other witness folder, though the log has records: the witness was deleted, or the database was replaced by another copy',
  }));
}
