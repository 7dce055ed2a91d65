/**
 * `custodian enrolment-code --label NAME`: a one-time code for a workstation to join the team
 * server, for the server's operator (the first workstation has no administrator yet to issue one
 * from Settings → Workstations). Printed once; only its hash is kept.
 */
import type { Command } from 'commander';
import { systemClock } from '../../services/clock';
import { EnrolmentService } from '../../services/enrolments';
import type { CliRun, CommandContext } from '../command';
import { checkKnownMigrations, withDatabase } from '../database';
import { UsageError } from '../errors';
import { requiredString, valueOption } from '../options';
import { keyAccess } from '../unlock';

export const enrolmentCode = (cli: CliRun): Command =>
  cli
    .subcommand('enrolment-code', {
      summary: 'Issue a one-time code for a workstation to join the team server.',
      usage: '--label NAME',
      details: [
        "With $CUSTODIAN_DATABASE_URL naming the team's database. The code works once, for 30 minutes: type it on the workstation with the server's address and certificate fingerprint. Administrators issue more, list and revoke them in Settings → Workstations.",
      ],
    })
    .addOption(
      valueOption('label', 'NAME', 'Which workstation it is for, e.g. "Front desk 2". (required)'),
    )
    .action(cli.action(issueCode));

async function issueCode(ctx: CommandContext): Promise<void> {
  const { io, target, values } = ctx;
  if (target.kind !== 'pg') {
    throw new UsageError(
      "Workstations enrol with a team server: set CUSTODIAN_DATABASE_URL to the team's database.",
    );
  }
  const label = requiredString(values, 'label').trim();
  if (label.length === 0 || label.length > 100) {
    throw new UsageError('The label is 1 to 100 characters.');
  }
  const issued = await withDatabase(target, { create: false, ...keyAccess(ctx) }, async (db) => {
    await checkKnownMigrations(db);
    return new EnrolmentService(db, systemClock).issue(label, null);
  });
  io.stdout.write(
    `One-time enrolment code for "${label}" (until ${issued.expiresAt}):\n  ${issued.code}\n`,
  );
}
