import type { KeyObject } from 'node:crypto';
import { RecipientsStore } from '../db/stores/recipients';
import type { Knex } from 'knex';
import type { Role } from '../../shared/roles';
import type { AccessMap } from '../../shared/visibility';
import { CollectionBatchStore } from '../db/stores/collection-batches';
import { ChainStore } from '../db/stores/disclosures-chain';
import { DisclosureFactsStore } from '../db/stores/disclosures-facts';
import { DisclosureLogStore } from '../db/stores/disclosures-log';
import { DisclosureRequestStore } from '../db/stores/disclosures-requests';
import { Transactions } from '../db/stores/scope';
import type { Logger } from '../log';
import type { AccessLogService } from '../services/access-log';
import type { AccountsService } from '../services/accounts/service';
import { AuditService } from '../services/audit/audit-service';
import { Ledger } from '../services/audit/ledger';
import { WitnessLog } from '../services/audit/witness';
import type { Clock } from '../services/clock';
import { CollectionsService } from '../services/collections/batches';
import type { StandingService } from '../services/collections/standing';
import { DisclosureApprovals } from '../services/disclosures/approvals';
import { DisclosureGateCheck } from '../services/disclosures/gate-check';
import { PlacementDisclosures } from '../services/disclosures/placement';
import { BatchFiling } from '../services/disclosures/placement-batch';
import { DisclosureRecorder } from '../services/disclosures/recorder';
import { DisclosureRegister } from '../services/disclosures/register';
import { RequestViews } from '../services/disclosures/request-views';
import { DisclosureWorkflow } from '../services/disclosures/workflow';
import { InternalExports } from '../services/exports/internal';
import { ExportPublisher } from '../services/exports/publisher';
import { ExportRecovery } from '../services/exports/recovery';
import type { DisclosureServices } from '../ipc/services';

export type { DisclosureServices };

export interface DisclosureDeps {
  db: Knex;
  clock: Clock;
  accessFor: (role: Role) => Promise<AccessMap>;
  accounts: AccountsService;
  accessLog: AccessLogService;
  standing: StandingService;
  exportDir: string;
  witnessDirs: readonly string[];
  signingKey: () => KeyObject;
  log: Logger;
}

/** Wires the disclosure side; each part depends one way only (audit <- exports <- disclosures). */
export function createDisclosureServices(d: DisclosureDeps): DisclosureServices {
  const tx = new Transactions(d.db);
  const chain = new ChainStore(d.db);
  const logStore = new DisclosureLogStore(d.db);
  const facts = new DisclosureFactsStore(d.db);
  const requests = new DisclosureRequestStore(d.db);
  const witnesses = new WitnessLog(chain, d.signingKey, d.witnessDirs, d.clock, (err) =>
    d.log.error('an audit witness could not be written; the next record writes it again', {
      kind: err instanceof Error ? err.name : typeof err,
      code: (err as { code?: unknown }).code,
    }),
  );
  const ledger = new Ledger(logStore, tx, witnesses);
  const recipientKeys = new RecipientsStore(d.db);
  const sealingKey = (recipientId: string) => recipientKeys.sealingKey(recipientId);
  const publisher = new ExportPublisher(ledger, d.exportDir);
  const exports = new InternalExports(publisher, d.accessFor, d.accounts, d.accessLog);
  const gate = new DisclosureGateCheck(facts, d.accessFor, d.clock);
  const recorder = new DisclosureRecorder(facts, ledger);
  const views = new RequestViews(requests, facts);
  const approvals = new DisclosureApprovals(
    requests,
    facts,
    tx,
    gate,
    recorder,
    views,
    d.accessFor,
    d.clock,
  );
  const batches = new CollectionBatchStore(d.db);
  const placements = new PlacementDisclosures(
    new BatchFiling(batches, d.standing),
    tx,
    gate,
    recorder,
    ledger,
    publisher,
    d.accessFor,
    d.accessLog,
    sealingKey,
  );
  return {
    disclosures: new DisclosureWorkflow(
      requests,
      logStore,
      facts,
      gate,
      recorder,
      approvals,
      views,
      publisher,
      d.accessLog,
      sealingKey,
    ),
    register: new DisclosureRegister(logStore, exports),
    audit: new AuditService(chain, d.clock, d.signingKey, witnesses, d.exportDir),
    exports,
    recovery: new ExportRecovery(logStore, ledger, d.exportDir),
    placements,
    collections: new CollectionsService(batches, tx, d.clock, d.accessFor, d.standing, placements),
    witnesses,
  };
}
