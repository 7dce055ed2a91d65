import type { KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { AuditCheckpoint, ChainVerification } from '../../../shared/types';
import type { ChainStore } from '../../db/stores/disclosures-chain';
import type { Clock } from '../clock';
import { placeSmallFile } from '../exports/spool';
import { verifyChain } from './chain';
import { signCheckpoint } from './checkpoint';
import { verifyAudit } from './verify';
import type { WitnessLog } from './witness';

/** The disclosure log's verification and its signed checkpoints, for compliance. */
export class AuditService {
  constructor(
    private readonly chain: ChainStore,
    private readonly clock: Clock,
    private readonly signingKey: () => KeyObject,
    private readonly witnesses: WitnessLog,
    private readonly exportDir: string,
  ) {}

  verify(checkpoint: AuditCheckpoint | null): Promise<ChainVerification> {
    return verifyAudit(this.chain, { key: this.signingKey, witnesses: this.witnesses, checkpoint });
  }

  async checkpoint(): Promise<AuditCheckpoint> {
    const report = await verifyChain(this.chain);
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

  async saveCheckpoint(
    fileName: string,
  ): Promise<{ checkpoint: AuditCheckpoint; fileName: string }> {
    const checkpoint = await this.checkpoint();
    if (!fileName.endsWith('.json')) {
      throw new AppError('VALIDATION', 'A checkpoint is saved as .json.', {
        fieldErrors: { fileName: 'Use .json.' },
      });
    }
    await placeSmallFile(this.exportDir, fileName, `${JSON.stringify(checkpoint, null, 2)}\n`);
    return { checkpoint, fileName };
  }
}
