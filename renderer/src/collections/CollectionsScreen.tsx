import { useChannel } from '../data';
import { useSession } from '../session';
import { Screen } from '../Screen';
import { BatchList } from './BatchList';
import { NewBatch } from './NewBatch';

/**
 * Collection batches: collections agents build one (bad-standing accounts not yet placed, no
 * holds), preview it and send it to one agency; everyone who may read balances sees the batches.
 */
export function CollectionsScreen() {
  const { session } = useSession();
  const isAgent = session.user.role === 'collections_agent';
  const batches = useChannel('batches.list', {});

  return (
    <Screen
      title="Collections"
      description={
        isAgent
          ? 'Place bad-standing accounts with a collection agency. A batch leaves only through the disclosure log, and accounts with a hold are never placed.'
          : 'Collection batches sent to agencies. Batches are built and sent by collections agents.'
      }
    >
      {isAgent && <NewBatch onSent={batches.reload} />}
      <BatchList batches={batches} canRecall={isAgent} />
    </Screen>
  );
}
