import { AppShell, Badge, Divider, NavLink, Text } from '@mantine/core';
import type { Section } from '../navigation';
import { useSession } from '../session';
import { GROUP_LABELS, type NavItem } from './navItems';

/** The side bar: the sections the role may open, grouped, with the approvals badge. */
export function SectionNav({
  items,
  section,
  inboxCount,
  onSection,
}: {
  items: readonly NavItem[];
  section: Section;
  inboxCount: number;
  onSection(section: Section): void;
}) {
  const { appVersion } = useSession();
  return (
    <AppShell.Navbar p="sm">
      <AppShell.Section grow component="nav" aria-label="Sections">
        {(['work', 'oversight', 'admin'] as const).map((group) => {
          const groupItems = items.filter((i) => i.group === group);
          if (groupItems.length === 0) return null;
          const heading = GROUP_LABELS[group];
          return (
            <div key={group}>
              {heading && (
                <Divider
                  my={8}
                  label={heading}
                  labelPosition="left"
                  styles={{ label: { fontSize: 11, textTransform: 'uppercase' } }}
                />
              )}
              {groupItems.map((item) => (
                <NavLink
                  key={item.section}
                  component="button"
                  label={item.label}
                  leftSection={<item.icon size={18} />}
                  rightSection={
                    item.section === 'approvals' && inboxCount > 0 ? (
                      <Badge
                        size="sm"
                        color="red"
                        circle
                        aria-label={`${inboxCount} waiting`}
                        data-testid="inbox-badge"
                      >
                        {inboxCount}
                      </Badge>
                    ) : null
                  }
                  active={section === item.section}
                  onClick={() => onSection(item.section)}
                  aria-current={section === item.section ? 'page' : undefined}
                />
              ))}
            </div>
          );
        })}
      </AppShell.Section>
      <AppShell.Section>
        <Text fz="xs" c="dimmed" px="sm">
          Custodian {appVersion}
        </Text>
      </AppShell.Section>
    </AppShell.Navbar>
  );
}
