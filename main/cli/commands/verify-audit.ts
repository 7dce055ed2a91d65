import fs from 'node:fs';
import path from 'node:path';
import { userDataDir } from '../../paths';
import { verifyChain } from '../../services/audit/chain';
import { checkCheckpoint, loadSigningKey, parseCheckpoint } from '../../services/audit/checkpoint';
import type { Command } from '../command';
import { checkKnownMigrations, withDatabase } from '../database';
import { CliError } from '../errors';

export const verifyAudit: Command = {
  name: 'verify-audit',
  summary: 'Walk the disclosure log hash chain and name the first record that was tampered with.',
  usage: 'custodian verify-audit [--database FILE] [--checkpoint FILE]',
  details: [
    'Every disclosure record carries the hash of the one before it; this recomputes them all.',
    'A chain alone cannot reveal that the whole database was rolled back to an older copy: give a',
    'checkpoint saved by compliance (signed head hash and count) to detect that too.',
    'Exit code 0 when the log is intact, 1 when it is not.',
  ],
  options: {
    checkpoint: {
      type: 'string',
      valueName: 'FILE',
      description: 'A signed checkpoint file saved by compliance.',
    },
  },
  async run({ io, target, values }) {
    const checkpointFile = typeof values.checkpoint === 'string' ? values.checkpoint : null;
    const checkpoint = checkpointFile ? readCheckpoint(checkpointFile) : null;
    // The signing key lives beside the SQLite file (or in the user-data folder for a server).
    const keyDir = target.kind === 'sqlite' ? path.dirname(target.file) : userDataDir();
    const ok = await withDatabase(target, { create: false }, async (db) => {
      await checkKnownMigrations(db);
      const started = performance.now();
      const report = await verifyChain(db);
      const ms = Math.round(performance.now() - started);
      if (report.ok) {
        io.stdout.write(
          `The disclosure log is intact: ${report.records} records verified in ${ms} ms.\n`,
        );
        io.stdout.write(`Head: record ${report.headSeq}, hash ${report.headHash}\n`);
      } else {
        io.stdout.write(`The disclosure log has been tampered with: ${report.problem?.message}.\n`);
        io.stdout.write(
          `First bad record: ${report.problem?.seq} (${report.records} records verified before it, ${ms} ms).\n`,
        );
      }
      if (!checkpoint) return report.ok;
      const cp = await checkCheckpoint(db, loadSigningKey(keyDir), checkpoint);
      io.stdout.write(`Checkpoint: ${cp.message}\n`);
      return report.ok && cp.ok;
    });
    return ok ? 0 : 1;
  },
};

function readCheckpoint(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`Cannot read the checkpoint file ${file}.`);
  }
  try {
    return parseCheckpoint(text);
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
}
