import { Spotlight } from '@mantine/spotlight';
import { IconHistory, IconSearch, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import type { AccountRow } from '../../../shared/types';
import { useNavigation } from '../navigation';
import { matches, type Command } from './paletteCommands';
import { useAccountMatches } from './useAccountMatches';
import { useRecentAccounts } from './useRecentAccounts';

const GROUPS = ['Screens', 'Actions'] as const;

/** An account as one line: its number and the name, as far as the role sees them. */
function describe(row: AccountRow): { label: string; description: string } {
  const f = row.fields;
  const name = [f.firstName, f.lastName].filter((v) => typeof v === 'string' && v).join(' ');
  const contact = [f.email, f.phone].filter((v) => typeof v === 'string' && v).join(' · ');
  return {
    label: [f.accountNumber, name].filter(Boolean).join(' · ') || 'Account',
    description: contact,
  };
}

/** A group of accounts; choosing one opens it. */
function AccountGroup({
  label,
  rows,
  icon: Icon,
}: {
  label: string;
  rows: readonly AccountRow[];
  icon: typeof IconUser;
}) {
  const navigation = useNavigation();
  return rows.length === 0 ? null : (
    // The group's label is drawn by CSS only; role and name make it a group a reader announces.
    <Spotlight.ActionsGroup label={label} role="group" aria-label={label}>
      {rows.map((row) => (
        <Spotlight.Action
          key={row.id}
          {...describe(row)}
          leftSection={<Icon size={18} />}
          onClick={() => navigation.accounts({ kind: 'open', id: row.id })}
        />
      ))}
    </Spotlight.ActionsGroup>
  );
}

/**
 * Ctrl+K (Cmd+K): screens, the actions the role may take, and accounts found by number, name,
 * email or phone with the list's own search. Screens and actions come first, so that the
 * accounts arriving a moment later never move what Enter picks. With nothing typed, the accounts
 * this staff member opened most recently come first: going back to one is what the palette is
 * most often opened for, and nothing typed means nothing for Enter to pick yet.
 */
export function CommandPalette({ commands }: { commands: readonly Command[] }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const accounts = useAccountMatches(query);
  const recent = useRecentAccounts(open && query.trim() === '');
  const shown = commands.filter((c) => matches(c, query));
  const nothing = shown.length === 0 && accounts.rows.length === 0 && recent.length === 0;

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      // Ctrl+K is handled with the console's other keys (useConsoleKeys), never over the lock.
      shortcut={null}
      onSpotlightOpen={() => setOpen(true)}
      onSpotlightClose={() => setOpen(false)}
      scrollable
      maxHeight={440}
      // The dialog's name (it has no visible title).
      attributes={{ content: { 'aria-label': 'Command palette' } }}
    >
      <Spotlight.Search
        aria-label="Find a screen, an action or an account"
        placeholder="Find a screen, an action, or an account by number, name, email or phone…"
        leftSection={<IconSearch size={18} />}
      />
      <Spotlight.ActionsList aria-label="Results">
        <AccountGroup label="Recently opened" rows={recent} icon={IconHistory} />
        {GROUPS.map((group) => {
          const inGroup = shown.filter((c) => c.group === group);
          return inGroup.length === 0 ? null : (
            <Spotlight.ActionsGroup key={group} label={group} role="group" aria-label={group}>
              {inGroup.map((c) => (
                <Spotlight.Action
                  key={c.id}
                  label={c.label}
                  leftSection={<c.icon size={18} />}
                  onClick={c.run}
                />
              ))}
            </Spotlight.ActionsGroup>
          );
        })}
        <AccountGroup label="Accounts" rows={accounts.rows} icon={IconUser} />
        {nothing && (
          <Spotlight.Empty>{accounts.loading ? 'Searching…' : 'Nothing found.'}</Spotlight.Empty>
        )}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
