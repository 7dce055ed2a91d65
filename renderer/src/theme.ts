import {
  createTheme,
  darken,
  localStorageColorSchemeManager,
  type CSSVariablesResolver,
} from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled buttons at shade 8 keep white labels at 4.5:1 or better (shade 6 gives about 4:1).
  primaryShade: { light: 8, dark: 8 },
  // Filled colours too light for white text (yellow, orange, teal…) get dark text instead; the
  // threshold is where black and white give the same contrast, so the better one is always chosen.
  autoContrast: true,
  luminanceThreshold: 0.179,
  defaultRadius: 'sm',
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '600' },
  components: {
    TextInput: { defaultProps: { size: 'sm' } },
    PasswordInput: { defaultProps: { size: 'sm' } },
    // A clearable input's ✕ is an icon only, like the close buttons below.
    Select: { defaultProps: { size: 'sm', clearButtonProps: { 'aria-label': 'Clear' } } },
    MultiSelect: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear' } } },
    FileInput: { defaultProps: { clearButtonProps: { 'aria-label': 'Clear' } } },
    // Mantine's close button is an icon only: without a name a screen reader says "button".
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Alert: { defaultProps: { closeButtonLabel: 'Dismiss' } },
  },
});

/**
 * Text colours darkened where Mantine's defaults fall under WCAG AA (4.5:1) on the console's
 * backgrounds: dimmed text (#868e96 on white is 3.3:1), coloured text and the text of the light
 * variant (badges, alerts, the active side-bar entry), placeholders, field errors, and the same in the dark scheme.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-text)',
  };
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark' || name === 'gray') continue;
    light[`--mantine-color-${name}-text`] = darken(shades[9], 0.25);
    light[`--mantine-color-${name}-light-color`] = darken(shades[9], 0.3);
  }
  return {
    variables: {},
    light,
    dark: {
      '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
      '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
      '--mantine-color-error': 'var(--mantine-color-red-text)',
    },
  };
};

/**
 * Light, dark or the OS's choice, kept in the renderer's own local storage: a display
 * preference of this workstation, nothing secret.
 */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'custodian-color-scheme' });
