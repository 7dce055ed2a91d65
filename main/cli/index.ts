/** Entry point of the `custodian` admin command line (bundled to dist/main/cli.cjs). */
import { EXIT_FAILED } from './errors';
import { processIo } from './terminal';
import { run } from './run';

// Last resort: a failure outside run() still prints no details (they may hold customer data).
process.on('uncaughtException', () => {
  process.stderr.write('custodian: Unexpected error. No details are printed.\n');
  process.exit(EXIT_FAILED);
});
process.on('unhandledRejection', () => {
  process.stderr.write('custodian: Unexpected error. No details are printed.\n');
  process.exit(EXIT_FAILED);
});

void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
  // Standard input may still be open after a prompt or --password-stdin.
  process.stdin.destroy();
});
