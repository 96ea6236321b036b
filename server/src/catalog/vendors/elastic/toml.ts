import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

/**
 * smol-toml ships a CommonJS build (its `require` export) but ESM-only typings, which a Node16
 * CommonJS project cannot `import` (TS1479). So the typings are imported type-only in ESM mode and the
 * CommonJS build is loaded with require.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const toml = require('smol-toml') as typeof SmolToml;

export const parseToml = toml.parse;
export const TomlError = toml.TomlError;
