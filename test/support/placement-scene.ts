import type { Session } from '../../main/services/session';
import { ADMIN, openTestBackend, type TestBackend } from './backend';
import { bundleForTest } from './bundle';
import { fixtureWriter } from './fixtures';
import { signedInAs } from './staff';

/** Bundles test/support/crash-child.ts for a test file to run as a separate process. */
export function buildCrashChild(name: string): Promise<string> {
  return bundleForTest('test/support/crash-child.ts', name);
}

export interface PlacementScene {
  t: TestBackend;
  /** Compliance officer "cora" and collections agent "colin", signed in. */
  comp: Session;
  agent: Session;
  /** A registered collection agency. */
  agency: string;
}

/** A backend with a compliance officer, a collections agent, an agency and `bad` accounts to place. */
export async function placementScene(
  bad: number,
  account: (i: number) => { lastName: string; balanceCents: number },
): Promise<PlacementScene> {
  const t = await openTestBackend();
  const admin = t.backend.openSession();
  await t.call(admin, 'setup.createFirstAdmin', ADMIN);
  const comp = await signedInAs(t, 'compliance_officer', 'cora');
  const agent = await signedInAs(t, 'collections_agent', 'colin');
  const { id: agency } = await t.call(comp, 'recipients.create', {
    name: 'Acme Collections',
    type: 'collection_agency',
    contact: '9 Debt Lane, Springfield',
  });
  const fx = fixtureWriter(t, (await t.call(admin, 'staff.list', {}))[0]!.id);
  for (let i = 0; i < bad; i++) {
    await fx.create({ ...account(i), standing: 'bad_standing', currency: 'USD' });
  }
  return { t, comp, agent, agency };
}
