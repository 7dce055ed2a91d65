/**
 * `npm run load`: a team server on a throwaway PostgreSQL cluster (the server as its own role),
 * N simulated, enrolled workstations for S seconds on a mix of search 60 %, detail 25 %, edit
 * 10 % and standing change 5 % over A seeded accounts. Prints p50/p95/p99 per operation, errors
 * (transport or INTERNAL answers; refusals by the rules are counted apart) and lost updates:
 * each account's final version and phone checked against the last edit the server acknowledged.
 *
 *   npm run load -- [--workstations 50] [--seconds 60] [--accounts 100000]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { silentLogger } from '../../main/log';
import { TeamServerClient, type RemoteSession } from '../../main/remote/client';
import { seedAccounts } from '../../main/services/seed';
import { startLocalTeamServer } from '../support/local-team-server';
import type { Result } from '../../shared/errors';

const { values } = parseArgs({
  options: {
    workstations: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    accounts: { type: 'string', default: '100000' },
  },
});
const WORKSTATIONS = Number(values.workstations);
const SECONDS = Number(values.seconds);
const ACCOUNTS = Number(values.accounts);
const PASSWORD = 'load test password 1';
const OPS = ['search', 'detail', 'edit', 'standing'] as const;
type Op = (typeof OPS)[number];
const MIX: [Op, number][] = [
  ['search', 0.6],
  ['detail', 0.25],
  ['edit', 0.1],
  ['standing', 0.05],
];

function pick(): Op {
  let r = Math.random();
  for (const [op, share] of MIX) if ((r -= share) < 0) return op;
  return 'search';
}
const any = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const pct = (xs: number[], p: number) =>
  xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

interface Tally {
  ms: number[];
  errors: number;
  refused: number;
}

async function main(): Promise<void> {
  const team = await startLocalTeamServer({
    port: 0,
    logger: silentLogger,
    prepare: async (owner) => {
      console.error(`seeding ${ACCOUNTS} accounts...`);
      await seedAccounts(owner, { count: ACCOUNTS, seed: 15, batchSize: 5000 });
      await owner.raw('ANALYZE');
    },
    limits: { perAddress: 1e9, signInPerAddress: 1e6, signInPerUsername: 1e6 },
  });
  const { backend } = team;
  const server = { url: team.url, fingerprint: team.fingerprint };
  try {
    const staffCount = Math.max(1, Math.ceil(WORKSTATIONS / 5));
    for (let i = 0; i < staffCount; i++) {
      await backend.services.auth.createStaff({
        username: `billing${i}`,
        displayName: `Billing ${i}`,
        role: 'billing_specialist',
        password: PASSWORD,
        mustChangePassword: false,
      });
    }
    const ids = (
      (await backend.services.db('accounts').select('id').limit(20_000)) as { id: string }[]
    ).map((r) => r.id);

    console.error(`enrolling and signing in ${WORKSTATIONS} workstations...`);
    const desks: { client: TeamServerClient; session: RemoteSession }[] = [];
    for (let i = 0; i < WORKSTATIONS; i++) {
      const address = {
        url: server.url,
        fingerprint: server.fingerprint,
        client: { hostname: `desk-${i}`, ip: '10.0.0.1', os: 'load', appVersion: 'load' },
      };
      const { code } = await backend.services.enrolments.issue(`desk ${i}`, null);
      const stranger = new TeamServerClient(address);
      const enrolled = await stranger.enrol(code, `desk ${i}`, 2048);
      await stranger.close();
      if (!enrolled.ok) throw new Error(enrolled.error.message);
      const client = new TeamServerClient({ ...address, clientAuth: enrolled.value });
      const session = client.openSession();
      const r = await client.invoke(session, 'auth.login', {
        username: `billing${i % staffCount}`,
        password: PASSWORD,
      });
      if (!r.ok) throw new Error(r.error.message);
      desks.push({ client, session });
    }

    const tally = new Map<Op, Tally>(OPS.map((op) => [op, { ms: [], errors: 0, refused: 0 }]));
    /** Per account, the acknowledged edits: version answered and phone written. */
    const acked = new Map<string, { version: number; phone: string }[]>();
    const terms = ['ma', 'jo', 'sa', 'li', 'an', 'el', 'mi', 'ro', 'ka', 'da'];
    const today = new Date().toISOString().slice(0, 10);
    const until = Date.now() + SECONDS * 1000;

    const timed = async (op: Op, call: () => Promise<Result<unknown>>) => {
      const t0 = performance.now();
      let r: Result<unknown>;
      try {
        r = await call();
      } catch {
        tally.get(op)!.errors++;
        return null;
      }
      tally.get(op)!.ms.push(performance.now() - t0);
      if (!r.ok) {
        if (r.error.code === 'INTERNAL' || r.error.code === 'SERVER_UNREACHABLE') {
          tally.get(op)!.errors++;
        } else tally.get(op)!.refused++;
        return null;
      }
      return r.value;
    };

    const work = async ({ client, session }: (typeof desks)[number]) => {
      while (Date.now() < until) {
        const op = pick();
        const id = any(ids);
        if (op === 'search') {
          await timed(op, () =>
            client.invoke(session, 'accounts.list', { search: any(terms), limit: 50 }),
          );
        } else if (op === 'detail') {
          await timed(op, () => client.invoke(session, 'accounts.get', { id }));
        } else if (op === 'edit') {
          const detail = (await client.invoke(session, 'accounts.get', { id })) as Result<{
            version: number;
          }>;
          if (!detail.ok) continue;
          const phone = `+1 415 555 ${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
          const saved = (await timed(op, () =>
            client.invoke(session, 'accounts.update', {
              id,
              version: detail.value.version,
              changes: { phone },
              provenance: { source: 'phone', date: today },
            }),
          )) as { version: number } | null;
          if (saved) acked.set(id, [...(acked.get(id) ?? []), { version: saved.version, phone }]);
        } else {
          await timed(op, () =>
            client.invoke(session, 'standing.transition', {
              accountId: id,
              to: Math.random() < 0.5 ? 'past_due' : 'good',
              reason: Math.random() < 0.5 ? 'missed_payment' : 'payment_received',
              daysPastDue: 31,
            }),
          );
        }
      }
    };
    console.error(`running ${SECONDS} s...`);
    await Promise.all(desks.map(work));

    let lost = 0;
    for (const [id, edits] of acked) {
      const last = edits.reduce((a, b) => (b.version > a.version ? b : a));
      const row = (await backend.services.db('accounts').where({ id }).first('version')) as {
        version: number;
      };
      const detail = (await desks[0]!.client.invoke(desks[0]!.session, 'accounts.get', {
        id,
      })) as Result<{ fields: { phone?: string } }>;
      const phone = detail.ok ? detail.value.fields.phone : undefined;
      // A standing change also moves the version on (it is part of the record), so a later
      // version is not a loss: the phone must be the last acknowledged edit's, and the version
      // never behind it.
      if (Number(row.version) < last.version || phone !== last.phone) lost++;
    }

    const rows = OPS.map((op) => {
      const t = tally.get(op)!;
      const ms = [...t.ms].sort((a, b) => a - b);
      const f = (x: number) => x.toFixed(1).padStart(8);
      return `| ${op.padEnd(8)} | ${String(ms.length).padStart(7)} | ${f(pct(ms, 50))} | ${f(pct(ms, 95))} | ${f(pct(ms, 99))} | ${String(t.errors).padStart(6)} | ${String(t.refused).padStart(7)} |`;
    });
    console.log(
      `\n${WORKSTATIONS} workstations, ${SECONDS} s, ${ACCOUNTS} accounts, through ${server.url} (${os.cpus().length} cores)\n`,
    );
    console.log('| op       |   calls |  p50 ms |  p95 ms |  p99 ms | errors | refused |');
    console.log('| -------- | ------- | ------- | ------- | ------- | ------ | ------- |');
    for (const row of rows) console.log(row);
    console.log(`\nlost updates: ${lost} (of ${acked.size} accounts edited)`);
    for (const d of desks) await d.client.close();
  } finally {
    await team.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
