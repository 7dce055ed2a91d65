import { Button, CloseButton, Group, Loader, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { SearchKind } from '../../../shared/catalogue';
import { SEARCH_KIND_LABELS } from '../../../shared/search';
import type { useAccountsQuery } from './useAccountsQuery';

/** The search box, what the search matched by, and the way back to best matches first. */
export function AccountsSearch({
  q,
  busy,
  searchKind,
  error,
  onArrowDown,
}: {
  q: ReturnType<typeof useAccountsQuery>;
  busy: boolean;
  searchKind: SearchKind | null;
  error: string | null;
  onArrowDown?(): void;
}) {
  const { query, searchText } = q;
  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <TextInput
        label="Search accounts"
        placeholder="e.g. C-1000042, ana@example.com, 555 0199 or Smith"
        w={460}
        value={searchText}
        onChange={(e) => q.setSearchText(e.currentTarget.value)}
        leftSection={<IconSearch size={16} />}
        rightSection={
          busy || q.searchPending ? (
            <Loader size={14} />
          ) : searchText ? (
            <CloseButton aria-label="Clear search" size="sm" onClick={() => q.setSearchText('')} />
          ) : null
        }
        error={error}
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        // `/` focuses it; ↓ moves on to the first row.
        data-list-search
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && onArrowDown) {
            e.preventDefault();
            onArrowDown();
          }
        }}
      />
      <Text size="sm" c="dimmed" mt={30} data-testid="search-hint">
        {query.search && searchKind && !error
          ? `Searching by ${SEARCH_KIND_LABELS[searchKind]}${query.sort === 'match' ? ', best matches first' : ''}`
          : ''}
      </Text>
      {query.search && q.chosenSort && !error && (
        <Button variant="subtle" size="compact-sm" mt={28} onClick={() => q.setChosenSort(null)}>
          Best matches first
        </Button>
      )}
    </Group>
  );
}
