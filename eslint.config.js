// SPDX-License-Identifier: AGPL-3.0-only
// Lint, including the layering in docs/CONTRIBUTING.md: each layer may only import downwards.
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'worker_threads']

/** A no-restricted-imports rule from a list of forbidden patterns and the reason. */
function forbid (patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] }
}

/**
 * Like {@link forbid}, but lets `@sotto/core` in as types only (`import type`): the public types
 * are defined once, in core, and no core code reaches the page.
 */
function forbidAllowingCoreTypes (patterns, message) {
  return {
    'no-restricted-imports': 'off',
    // `import { type X }` keeps a bare `import 'm'` under verbatimModuleSyntax: it would load core.
    '@typescript-eslint/no-import-type-side-effects': 'error',
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [
        { group: patterns, message },
        { regex: '^@sotto/core$', allowTypeImports: true, message: `${message}; @sotto/core only with import type` }
      ]
    }]
  }
}

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/*.d.ts', 'core/src/**/mailbox.ts', 'core/src/mailbox/forward.ts', 'core/src/protocol/sotto.ts', 'core/src/links/links.ts', 'core/src/groups/groups.ts', 'core/src/files/file.ts', 'e2e/test-results/**', 'e2e/playwright-report/**']
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
    rules: forbidAllowingCoreTypes(['electron', '@sotto/*', '!@sotto/core', '@sotto/core/*', '**/main/**', '**/preload/**', '**/core/**', ...nodeBuiltins],
      'desktop/renderer imports only desktop/shared, browser code and the types of @sotto/core')
  },
  {
    files: ['desktop/src/shared/**/*.ts'],
    rules: forbidAllowingCoreTypes(['electron', '@sotto/*', '!@sotto/core', '@sotto/core/*', '**/core/**', '**/main/**', '**/preload/**', '**/renderer/**', ...nodeBuiltins],
      'desktop/shared is the IPC contract: plain types and schemas only, and the types of @sotto/core')
  }
)
