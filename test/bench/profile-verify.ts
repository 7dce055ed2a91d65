/**
 * Where verify-audit's time goes (issue 18): the disclosure log of a working copy of the bench's
 * seeded SQLite database filled to --records records, verified as a compliance officer would
 * (disclosures.verify), beside the floor (verify.ts: read and hashed, nothing else checked). Not
 * part of `npm run bench`; a tool for finding what to cut.
 *
 *   node scripts/run-ts.mjs test/bench/profile-verify.ts [--records 1000000] [--runs 3]
 *     [--key] [--profile-dir DIR]
 *
 * --key verifies on an encrypted copy (SQLCipher); with --profile-dir, the last verification is
 * written as verify.cpuprofile.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../main/db/connect';
import { firstAdmin, staffSession } from './cases';
import { profiled } from './cpu-profile';
import { encryptInPlace } from '../../main/db/encrypt-in-place';
import { seededSqlite, workingCopy } from './data';
import { benchBackend, option, runTool } from './tool';
import { VERIFY_RECORDS, appendDisclosureRecords, verifyFloor } from './verify';

async function main(): Promise<void> {
  const records = Number(option('--records') ?? VERIFY_RECORDS);
  const runs = Number(option('--runs') ?? 3);
  const profileDir = option('--profile-dir');
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-verify-'));
  const seeded = (await seededSqlite(100_000)).file;
  const key = process.argv.includes('--key') ? randomBytes(32) : null;
  const file = workingCopy(seeded, dir);
  if (key) await encryptInPlace(file, key);
  const database = { client: 'sqlite' as const, filename: file, key };
  const db = connect(database);
  try {
    const started = performance.now();
    await appendDisclosureRecords(db, records);
    process.stdout.write(
      `appended ${records} records: ${(performance.now() - started).toFixed(0)} ms\n`,
    );
  } finally {
    await db.destroy();
  }
  const backend = await benchBackend(database, dir);
  try {
    await firstAdmin(backend, 'profile.admin');
    const compliance = await staffSession(backend, 'profile.cora', 'compliance_officer');
    for (let i = 0; i < runs; i++) {
      const out = profileDir && i === runs - 1 ? path.join(profileDir, 'verify.cpuprofile') : null;
      const at = performance.now();
      const r = await profiled(out, () => backend.invoke(compliance, 'disclosures.verify', {}));
      if (!r.ok) throw new Error(r.error.message);
      const report = r.value as { ok: boolean; records: number };
      if (!report.ok) throw new Error(JSON.stringify(report));
      process.stdout.write(
        `verify: ${(performance.now() - at).toFixed(0)} ms (${report.records} records)\n`,
      );
      const floorAt = performance.now();
      const matched = await verifyFloor(backend.services.db);
      process.stdout.write(
        `floor: ${(performance.now() - floorAt).toFixed(0)} ms (${matched} hashes)\n`,
      );
    }
  } finally {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runTool(main);
