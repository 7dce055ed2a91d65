/**
 * `npm run replica-fill`: the offline replica's figures (issue 16). A team server on a throwaway
 * PostgreSQL cluster with A seeded accounts; one enrolled workstation fills a support agent's
 * replica over HTTPS (time, pages, file size), then 1,000 accounts change and it syncs the
 * delta, then searches run on the replica (p50/p95).
 *
 *   npm run replica-fill -- [--accounts 100000] [--page 5000]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { silentLogger } from '../../main/log';
import { openReplicaFile, replicaFile } from '../../main/replica/file';
import { ReplicaReader } from '../../main/replica/reader';
import { ReplicaSync, replicaServer } from '../../main/replica/sync';
import { TeamServerClient } from '../../main/remote/client';
import { seedAccounts } from '../../main/services/seed';
import { startLocalTeamServer } from '../support/local-team-server';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    page: { type: 'string', default: '5000' },
  },
});
const ACCOUNTS = Number(values.accounts);
const PAGE = Number(values.page);
const PASSWORD = 'replica fill password 1';
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);

async function main(): Promise<void> {
  const team = await startLocalTeamServer({
    port: 0,
    logger: silentLogger,
    prepare: async (owner) => {
      console.error(`seeding ${ACCOUNTS} accounts...`);
      await seedAccounts(owner, { count: ACCOUNTS, seed: 16, batchSize: 5000 });
      await owner.raw('ANALYZE');
    },
    limits: { perAddress: 1e9, signInPerAddress: 1e6, signInPerUsername: 1e6 },
  });
  const { backend, dir } = team;
  const server = { url: team.url, fingerprint: team.fingerprint };
  try {
    const staffId = await backend.services.auth.createStaff({
      username: 'offline1',
      displayName: 'Offline One',
      role: 'support_agent',
      password: PASSWORD,
      mustChangePassword: false,
    });
    const address = {
      url: server.url,
      fingerprint: server.fingerprint,
      client: { hostname: 'laptop', ip: '10.0.0.2', os: 'figures', appVersion: 'figures' },
    };
    const { code } = await backend.services.enrolments.issue('laptop', null);
    const stranger = new TeamServerClient(address);
    const enrolled = await stranger.enrol(code, 'laptop', 2048);
    await stranger.close();
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const client = new TeamServerClient({
      ...address,
      clientAuth: enrolled.value,
      timeoutMs: 600_000,
    });
    const session = client.openSession();
    const login = await client.invoke(session, 'auth.login', {
      username: 'offline1',
      password: PASSWORD,
    });
    if (!login.ok) throw new Error(login.error.message);
    const anyone = client.openSession();
    // Time spent waiting on the server (pull round trips), apart from writing the replica.
    let serverMs = 0;
    const port = replicaServer(
      async (channel, input) => {
        const s = performance.now();
        const r = await client.invoke(session, channel, input);
        serverMs += performance.now() - s;
        return r;
      },
      (channel, input) => client.invoke(anyone, channel, input),
    );
    const replica = await openReplicaFile({ dir, staffId: staffId, key: randomBytes(32) });
    const sync = new ReplicaSync(replica, port, { staffId: staffId, pageSize: PAGE });

    let t0 = performance.now();
    let lastSaid = 0;
    const fill = await sync.sync(({ pulled, remaining }) => {
      if (performance.now() - lastSaid > 5000 || remaining === 0) {
        lastSaid = performance.now();
        console.error(`  ${pulled} pulled, ${remaining} left`);
      }
    });
    const fillMs = performance.now() - t0;
    const fillServerMs = serverMs;
    const file = replicaFile(dir, staffId);
    console.log(
      `first fill: ${ACCOUNTS} accounts in ${(fillMs / 1000).toFixed(1)} s (${Math.round(ACCOUNTS / (fillMs / 1000))}/s), pages of ${PAGE} (${(fillServerMs / 1000).toFixed(1)} s of it waiting on the server); file ${(size(file) / 1e6).toFixed(1)} MB + WAL ${(size(`${file}-wal`) / 1e6).toFixed(1)} MB; ${JSON.stringify(fill)}`,
    );

    // 1,000 changes, then the delta.
    const db = backend.services.db;
    const ids = ((await db('accounts').select('id').limit(1000)) as { id: string }[]).map(
      (r) => r.id,
    );
    const admin = backend.services.accounts;
    const adminId = staffId;
    for (const id of ids) {
      const d = await admin.get({ staffId: adminId, role: 'administrator' }, id);
      await admin.update(
        { staffId: adminId, role: 'administrator' },
        id,
        d.version,
        { city: 'Deltaton' },
        { source: 'phone', date: '2026-01-01' },
      );
    }
    t0 = performance.now();
    const delta = await sync.sync();
    console.log(
      `incremental sync of ${ids.length} changes: ${Math.round(performance.now() - t0)} ms; ${JSON.stringify(delta)}`,
    );

    // Searches on the replica.
    const reader = await ReplicaReader.open(replica);
    const sample = await reader.list({ sort: 'name', direction: 'asc', limit: 200 });
    const terms = sample.rows.map((r) => String(r.fields.lastName).slice(0, 4));
    const ms: number[] = [];
    for (let i = 0; i < 400; i++) {
      const s = performance.now();
      await reader.list({
        search: terms[i % terms.length]!,
        sort: 'match',
        direction: 'asc',
        limit: 50,
      });
      ms.push(performance.now() - s);
    }
    console.log(
      `replica name search (400 queries, 50 rows): p50 ${pct(ms, 50).toFixed(1)} ms, p95 ${pct(ms, 95).toFixed(1)} ms`,
    );
    await replica.close();
    await client.close();
  } finally {
    await team.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
