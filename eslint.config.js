// SPDX-License-Identifier: AGPL-3.0-only
// Lint, including the layering of STYLE.md: each layer may only import downwards.
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'worker_threads']

/** A no-restricted-imports rule from a list of forbidden patterns and the reason. */
function forbid (patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] }
}

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/*.d.ts', 'core/src/**/mailbox.ts', 'core/src/protocol/sotto.ts', 'core/src/files/file.ts', 'e2e/test-results/**', 'e2e/playwright-report/**']
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  {
    files: ['core/**/*.ts'],
    rules: forbid(['electron', 'react', 'react-dom', '@sotto/*', '**/relay-node/**', '**/desktop/**', '**/e2e/**'],
      'core imports no Electron, no DOM and nothing from another workspace')
  },
  {
    files: ['relay-node/**/*.ts'],
    rules: forbid(['electron', 'react', '@sotto/desktop', '@sotto/desktop/*', '**/desktop/**', '**/core/src/**'],
      'relay-node may import @sotto/core through its package exports, never desktop')
  },
  {
    files: ['desktop/src/main/**/*.ts'],
    rules: forbid(['**/renderer/**', '**/preload/**', '**/core/src/**', 'react', 'react-dom'],
      'desktop/main imports @sotto/core and desktop/shared, never the renderer or preload')
  },
  {
    files: ['desktop/src/preload/**/*.ts'],
    rules: forbid(['@sotto/*', '**/main/**', '**/renderer/**', 'react', ...nodeBuiltins],
      'desktop/preload imports only electron and desktop/shared')
  },
  {
    files: ['desktop/src/renderer/**/*.ts', 'desktop/src/renderer/**/*.tsx'],
    rules: forbid(['electron', '@sotto/*', '**/main/**', '**/preload/**', '**/core/**', ...nodeBuiltins],
      'desktop/renderer imports only desktop/shared and browser code')
  },
  {
    files: ['desktop/src/shared/**/*.ts'],
    rules: forbid(['electron', '@sotto/*', '**/main/**', '**/preload/**', '**/renderer/**', ...nodeBuiltins],
      'desktop/shared is the IPC contract: plain types and schemas only')
  }
)
