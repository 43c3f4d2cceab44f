// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Builds the guest page: type-checks `page/` for the browser, then bundles `page/guest.ts` (with
 * the guest client and its libp2p stack) into `dist/page/guest.js` with esbuild, and copies the
 * style sheet. The relay serves both at `/g` (`src/guest/web.ts`).
 */
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', `${root}page/tsconfig.json`], { stdio: 'inherit' })
await mkdir(`${root}dist/page`, { recursive: true })
const result = await build({
  entryPoints: [`${root}page/guest.ts`],
  outfile: `${root}dist/page/guest.js`,
  bundle: true,
  minify: true,
  // Errors are told apart by name (GuestBlockedError…): keep class names.
  keepNames: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  metafile: true,
  legalComments: 'none',
  // Node's parts that the shared code reaches for, in browser form.
  alias: { 'node:crypto': `${root}page/shims/node-crypto.ts` },
  inject: [`${root}page/shims/set-immediate.ts`],
  logLevel: 'warning'
})
await copyFile(`${root}page/guest.css`, `${root}dist/page/guest.css`)
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`guest page: ${bytes} bytes of script`)
