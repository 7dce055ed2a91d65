import fs from 'node:fs';
import type { Command } from 'commander';
import type { ChainVerification } from '../../../shared/types';
import { defaultWitnessDir } from '../../paths';
import { parseCheckpoint } from '../../services/audit/checkpoint';
import { verifyAudit as verifyLog } from '../../services/audit/verify';
import type { CliRun, CommandContext } from '../command';
import { checkKnownMigrations, withDatabase } from '../database';
import { keyAccess } from '../unlock';
import { cliWitnesses } from '../witnesses';
import { CliError } from '../errors';
import { valueOption } from '../options';
import type { Io } from '../terminal';

export const verifyAudit = (cli: CliRun): Command =>
  cli
    .subcommand('verify-audit', {
      summary:
        'Walk the disclosure log hash chain and name the first record that was tampered with.',
      usage: '[--database FILE] [--checkpoint FILE] [--witness-dir DIR]',
      details: [
        "Every disclosure record carries the hash of the one before it; this recomputes them all, and checks every customer's accounting of disclosures against the records it derives from.",
        'After every record the app writes a signed witness of the head outside the database; the chain must still hold each witnessed record, so a rewrite or a rollback to an older copy is caught. A checkpoint saved by compliance is checked the same way.',
        'Exit code 0 when the log is intact, 1 when it is not.',
      ],
    })
    .addOption(valueOption('checkpoint', 'FILE', 'A signed checkpoint file saved by compliance.'))
    .addOption(
      valueOption(
        'witness-dir',
        'DIR',
        `The folder of the log's witnesses (default: ${defaultWitnessDir()}).`,
      ),
    )
    .action(cli.action(verify));

async function verify(ctx: CommandContext): Promise<number> {
  const { io, target, values } = ctx;
  const checkpointFile = typeof values.checkpoint === 'string' ? values.checkpoint : null;
  const checkpoint = checkpointFile ? readCheckpoint(checkpointFile) : null;
  const witnessDir =
    typeof values.witnessDir === 'string' ? values.witnessDir : defaultWitnessDir();
  const ok = await withDatabase(
    target,
    { create: false, ...keyAccess(ctx) },
    async (db, dataKey) => {
      await checkKnownMigrations(db);
      const { chain, key, witnesses } = cliWitnesses(db, target, dataKey, witnessDir);
      const report = await verifyLog(chain, { key, witnesses, checkpoint });
      printReport(io, report);
      return report.ok;
    },
  );
  return ok ? 0 : 1;
}

function printReport(io: Io, report: ChainVerification): void {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (report.problem === null && !report.ok) {
    out(
      `The ${report.records} records chain correctly, but this is not the log that was witnessed or checkpointed (below): it was rewritten or rolled back.`,
    );
    out(`Head: record ${report.headSeq}, hash ${report.headHash}`);
  } else if (report.problem === null) {
    out(`The disclosure log is intact: ${report.records} records verified in ${report.millis} ms.`);
    out(`Head: record ${report.headSeq}, hash ${report.headHash}`);
  } else {
    out(`The disclosure log has been tampered with: ${report.problem.message}.`);
    out(
      `First bad record: ${report.problem.seq} (${report.records} records verified before it, ${report.millis} ms).`,
    );
  }
  if (report.checkpoint) out(`Checkpoint: ${report.checkpoint.message}`);
  for (const w of report.witnesses) {
    out(`Witness ${w.source}: ${w.ok ? '' : 'NOT OK, '}${w.message}`);
  }
}

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
