// SPDX-License-Identifier: AGPL-3.0-only
// Builds the renderer into dist/renderer. Relative asset paths: it is served from a custom scheme in
// Electron and over HTTP in headless mode.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    modulePreload: false,
    sourcemap: false,
    target: 'es2023'
  }
})
