// SPDX-License-Identifier: AGPL-3.0-only
// Bundles the preload into one CommonJS file: sandboxed preloads cannot load ES modules or other
// files, only `electron`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('./dist/preload', import.meta.url)),
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    target: 'es2023',
    lib: {
      entry: fileURLToPath(new URL('./src/preload/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs'
    },
    rollupOptions: { external: ['electron'] }
  }
})
