import { Paper, SimpleGrid, Title } from '@mantine/core';
import { FIELDS, FIELD_CATEGORIES, type FieldKey } from '../../../shared/catalogue';
import type { AccountDetail } from '../../../shared/types';
import { CATEGORY_LABELS, FieldDisplay } from '../format';

/** Every field the role can see, grouped by category; hidden fields are absent. */
export function AccountFields({ detail }: { detail: AccountDetail }) {
  const { access, fields } = detail;
  const groups = FIELD_CATEGORIES.map((category) => ({
    category,
    keys: FIELDS.filter((f) => f.category === category && f.key in access).map(
      (f): FieldKey => f.key,
    ),
  })).filter((g) => g.keys.length > 0);
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md" style={{ alignItems: 'start' }}>
      {groups.map((group) => (
        <Paper key={group.category} p="md" withBorder>
          <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="sm" lts={0.4}>
            {CATEGORY_LABELS[group.category]}
          </Title>
          <dl className="detail-grid" aria-label={CATEGORY_LABELS[group.category]}>
            {group.keys.map((key) => {
              const def = FIELDS.find((f) => f.key === key)!;
              return (
                <div key={key} style={{ display: 'contents' }}>
                  <dt id={`label-${key}`}>{def.label}</dt>
                  <dd aria-labelledby={`label-${key}`} data-field={key}>
                    <FieldDisplay fieldKey={key} fields={fields} access={access} />
                  </dd>
                </div>
              );
            })}
          </dl>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
