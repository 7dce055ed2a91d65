// @ts-check
/**
 * Turns the layer table of eslint.config.js into ESLint configuration objects, using only
 * core and typescript-eslint rules:
 * - `@typescript-eslint/no-restricted-imports` for static imports and re-exports (`import`,
 *   `import type`, `export … from`, `import x = require()`);
 * - `no-restricted-syntax` for what that rule does not see: `import()`, `require()`, type-level
 *   `import('…')`, a computed specifier, `import.meta.glob`.
 *
 * Why one block per folder depth: both rules match the specifier as written, so `../db/connect`
 * means main/db only when read from a file directly in main/policy/. VS Code's layer checker
 * resolves the path; here each depth under a layer gets its own exact relative prefixes instead
 * (`../../shared` at depth 0 under main/policy, `../../../shared` one folder deeper).
 */
import path from 'node:path';

/**
 * @typedef {{ names: string[], reason: string }} Group
 *   A restricted family of packages (globs such as `@mantine/*`) and why it is restricted.
 * @typedef {object} Layer
 * @property {string} name The layer's key, as exemptions name it.
 * @property {string} [label] How messages name it (default: `name/`).
 * @property {string} root The folder relative specifiers are counted from.
 * @property {string[]} [files] Only these files (default: every file under `root`).
 * @property {string[]} may Project folders and files it may import from (`.ts` files by name).
 * @property {string[]} packages The restricted groups it may import.
 * @property {string[]} [typesOnly] The restricted groups it may import types from.
 * @property {true | string[]} npm Any other npm package (true), or only these.
 * @typedef {{ layer: string, allow: { may?: string[], packages?: string[] }, files: string[] }} Exemption
 * @typedef {{ regex: string, message: string, allowTypeImports?: boolean }} Forbidden
 * @typedef {import('eslint').Linter.Config} Config
 * @typedef {import('eslint').Linter.RulesRecord} Rules
 */

/** Folders deeper than this under a layer root are refused rather than left unchecked. */
export const MAX_DEPTH = 6;

const RESTRICTED_IMPORTS = '@typescript-eslint/no-restricted-imports';
const SOURCES = '{ts,tsx,mts,cts,js,mjs,cjs}';

/** Escapes regex syntax, `/` included, so the source also fits an esquery `/…/` literal. */
const escape = (/** @type {string} */ text) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** A regex source matching any of the package globs (`@mantine/*`, `pg-*`) or a subpath of one. */
const packagesSource = (/** @type {string[]} */ globs) =>
  `(?:${globs.map((glob) => escape(glob).replaceAll('\\*', '[^\\/]*')).join('|')})(?:\\/.*)?$`;

/** The specifier, as written from `depth` folders below `root`, that reaches project path `to`. */
const specifierTo = (
  /** @type {string} */ root,
  /** @type {number} */ depth,
  /** @type {string} */ to,
) => {
  const spec = '../'.repeat(depth) + path.posix.relative(root, to.replace(/\.tsx?$/, ''));
  return spec.startsWith('.') ? spec : `./${spec}`;
};

/** A `may` entry as the messages show it: a folder with its slash, a file by its name. */
const shown = (/** @type {string} */ to) => (path.posix.extname(to) ? to : `${to}/`);

/** Regex alternatives for the relative specifiers a file `depth` folders under `root` may use. */
const relativeAlternatives = (/** @type {Layer} */ layer, /** @type {number} */ depth) => {
  const noClimb = '(?!\\.\\.?(?:\\/|$))';
  const inside = depth === 0 ? '\\.\\/' : `(?:\\.\\/|(?:\\.\\.\\/){1,${depth}})`;
  const targets = layer.may.filter((to) => to !== layer.root);
  return [
    ...(layer.may.includes(layer.root) ? [`${inside}${noClimb}`] : []),
    ...targets.map(
      (to) => `${escape(specifierTo(layer.root, depth, to))}(?:\\/${noClimb}|(?:\\.[a-z]+)?$)`,
    ),
  ];
};

/**
 * The forbidden specifiers of one layer at one depth, each a regex source and a message.
 * `groups` are the restricted package families of eslint.config.js.
 * @param {Layer} layer
 * @param {number} depth
 * @param {Record<string, Group>} groups
 * @returns {Forbidden[]}
 */
function forbidden(layer, depth, groups) {
  const label = layer.label ?? `${layer.name}/`;
  /** @type {Forbidden[]} */
  const rules = [
    {
      regex: `(?:^|\\/)(?!\\.\\.?\\/)[^/]+\\/\\.\\.(?:\\/|$)`,
      message:
        "Write relative imports without an inner '..': the layer lint reads them as written.",
    },
    { regex: '^\\/', message: 'Import by relative path or package name, not an absolute path.' },
    {
      regex: `^(?=\\.)(?!${relativeAlternatives(layer, depth).join('|')})`,
      message: `${label} may import only from ${layer.may.map(shown).join(', ')}.`,
    },
  ];
  for (const [key, group] of Object.entries(groups)) {
    if (layer.packages.includes(key)) continue;
    rules.push({
      regex: `^${packagesSource(group.names)}`,
      message: `${label} may not import it: ${group.reason}.`,
      ...(layer.typesOnly?.includes(key) ? { allowTypeImports: true } : {}),
    });
  }
  if (layer.npm !== true) {
    const restricted = Object.values(groups).flatMap((group) => group.names);
    const allowed = layer.npm.length ? `(?!${packagesSource(layer.npm)})` : '';
    // What the message lists: the named packages and the families the layer may use.
    const open = [
      ...layer.npm,
      ...layer.packages.filter((key) => key !== 'node').flatMap((key) => groups[key]?.names ?? []),
    ];
    rules.push({
      regex: `^(?![./])(?!${packagesSource(restricted)})${allowed}`,
      message: open.length
        ? `${label} may use only these npm packages: ${open.join(', ')}.`
        : `${label} uses no npm package: it imports only from ${layer.may.map(shown).join(', ')}.`,
    });
  }
  return rules;
}

/** The `no-restricted-syntax` entries for the import forms the imports rule does not see. */
function syntaxEntries(/** @type {Forbidden[]} */ rules) {
  const entries = rules.map(({ regex, message, allowTypeImports }) => ({
    selector: [
      `ImportExpression[source.value=/${regex}/]`,
      `CallExpression[callee.name='require'][arguments.0.value=/${regex}/]`,
      ...(allowTypeImports ? [] : [`TSImportType[source.value=/${regex}/]`]),
    ].join(', '),
    message,
  }));
  return [
    ...entries,
    {
      selector:
        "ImportExpression:not([source.type='Literal']), CallExpression[callee.name='require']:not([arguments.0.type='Literal'])",
      message: 'Give import() and require() a string literal, so the layer lint can check it.',
    },
    {
      selector: "MemberExpression[object.type='MetaProperty'][property.name=/^glob/]",
      message: 'import.meta.glob hides imports from the layer lint: import each module by name.',
    },
  ];
}

/**
 * The rules for a file `depth` folders below its layer root.
 * @param {Layer} layer
 * @param {number} depth
 * @param {Record<string, Group>} groups
 * @returns {Rules}
 */
function rulesAt(layer, depth, groups) {
  const rules = forbidden(layer, depth, groups);
  return {
    [RESTRICTED_IMPORTS]: [
      'error',
      {
        patterns: rules.map(({ regex, message, allowTypeImports }) => ({
          regex,
          message,
          caseSensitive: true,
          ...(allowTypeImports ? { allowTypeImports } : {}),
        })),
      },
    ],
    'no-restricted-syntax': ['error', ...syntaxEntries(rules)],
  };
}

const depthOf = (/** @type {string} */ root, /** @type {string} */ file) =>
  path.posix.relative(root, path.posix.dirname(file)).split('/').filter(Boolean).length;

/**
 * Configuration objects for the layer table, in order (a later object overrides an earlier one
 * for the files both match):
 * 1. every file under `roots` is refused until a layer claims it, so a new folder is declared;
 * 2. each layer, per depth (or per listed file);
 * 3. each exemption: its files get their layer's rules widened by `allow`.
 * @param {{ roots: string[], groups: Record<string, Group>, layers: Layer[], exemptions: Exemption[] }} table
 * @returns {Config[]}
 */
export function layerConfigs({ roots, groups, layers, exemptions }) {
  /** @type {Config[]} */
  const blocks = [
    {
      files: roots.map((root) => `${root}/**/*.${SOURCES}`),
      rules: {
        'no-restricted-syntax': [
          'error',
          {
            selector: 'Program',
            message: `This file is in no declared layer (or nested deeper than ${MAX_DEPTH} folders in one): add its folder to the layer table in eslint.config.js.`,
          },
        ],
      },
    },
  ];
  for (const layer of layers) {
    if (layer.files) {
      for (const file of layer.files) {
        blocks.push({ files: [file], rules: rulesAt(layer, depthOf(layer.root, file), groups) });
      }
      continue;
    }
    for (let depth = 0; depth <= MAX_DEPTH; depth += 1) {
      const files = [`${layer.root}/${'*/'.repeat(depth)}*.${SOURCES}`];
      blocks.push({ files, rules: rulesAt(layer, depth, groups) });
    }
  }
  for (const exemption of exemptions) {
    const layer = layers.find((candidate) => candidate.name === exemption.layer);
    if (!layer) throw new Error(`exemption for an undeclared layer: ${exemption.layer}`);
    const widened = {
      ...layer,
      may: [...layer.may, ...(exemption.allow.may ?? [])],
      packages: [...layer.packages, ...(exemption.allow.packages ?? [])],
    };
    for (const file of exemption.files) {
      blocks.push({ files: [file], rules: rulesAt(widened, depthOf(layer.root, file), groups) });
    }
  }
  return blocks;
}
