// SPDX-License-Identifier: AGPL-3.0-only
// Runs @doyensec/electronegativity over the desktop sources and prints its findings as one JSON
// line: [{ id, severity, confidence, file, line, sample }]. Offline: the check that downloads
// Electron's release list is skipped (the version is given), and the tool's background fetch of
// translations, which fails without a network, must not crash the run.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

process.on('uncaughtException', err => {
  // got (used by electronegativity for translations) throws this from a retry timer when offline.
  if (/onCancel. handler was attached after the promise settled/.test(err.message)) return
  throw err
})
const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity')
const input = process.argv[2] ?? fileURLToPath(new URL('../src', import.meta.url))
const electron = require('electron/package.json').version

const silence = console.log
console.log = () => {}
const result = await run({
  input,
  electronVersionOverride: electron,
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  customScan: [],
  isRelative: true,
  isVerbose: false
}, false)
console.log = silence
const findings = result.issues.map(i => ({
  id: i.id,
  severity: i.severity.name,
  confidence: i.confidence.name,
  file: i.file,
  line: i.location.line,
  sample: String(i.sample).slice(0, 200)
}))
process.stdout.write(JSON.stringify({ checks: result.atomicChecks + result.globalChecks, errors: result.errors.length, findings }) + '\n')
process.exit(0)
