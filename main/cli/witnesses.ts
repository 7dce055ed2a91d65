/**
 * The disclosure log's witnesses as the command line sees them: the signing key beside the SQLite
 * file (or in the user-data folder for a server), sealed by the data key where there is one.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { ChainStore } from '../db/stores/disclosures-chain';
import { CHECKPOINT_KEY_PURPOSE, dataKeySealer } from '../keys/sealer';
import { userDataDir } from '../paths';
import { loadSigningKey } from '../services/audit/checkpoint';
import { WitnessLog } from '../services/audit/witness';
import { systemClock } from '../services/clock';
import type { Target } from './database';

export function cliWitnesses(
  db: Knex,
  target: Target,
  dataKey: Buffer | null | undefined,
  witnessDir: string,
): { chain: ChainStore; key: () => ReturnType<typeof loadSigningKey>; witnesses: WitnessLog } {
  const keyDir = target.kind === 'sqlite' ? path.dirname(target.file) : userDataDir();
  const sealer = dataKey ? dataKeySealer(dataKey, CHECKPOINT_KEY_PURPOSE) : undefined;
  const key = () => loadSigningKey(keyDir, sealer);
  const chain = new ChainStore(db);
  return {
    chain,
    key,
    witnesses: new WitnessLog(chain, key, [witnessDir], systemClock, () => undefined),
  };
}
