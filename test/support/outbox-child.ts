/**
 * A workstation process that queues offline edits into its replica's outbox as fast as it can,
 * printing "queued <n>" once each is acknowledged (on disk), until it is killed. The outbox test
 * kills it with SIGKILL and counts what survived. Bundled with esbuild by the test.
 */
import { openReplicaFile } from '../../main/replica/file';
import { Outbox } from '../../main/replica/outbox';

interface ChildConfig {
  dir: string;
  staffId: string;
  keyHex: string;
  accountId: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as ChildConfig;
  const replica = await openReplicaFile({
    dir: config.dir,
    staffId: config.staffId,
    key: Buffer.from(config.keyHex, 'hex'),
  });
  const outbox = new Outbox(replica, config.staffId);
  for (let n = 0; ; n++) {
    await outbox.queue({
      channel: 'holds.set',
      input: {
        accountId: config.accountId,
        kind: 'attorney_represented',
        since: '2025-01-01',
        note: `Offline note ${n}`,
      },
    });
    process.stdout.write(`queued ${n}\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
