#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `sotto`: the headless client. JSON on stdout, logs on stderr, non-zero exit with the error's
 * name and message on stderr on failure. The passphrase comes from `SOTTO_PASSPHRASE`.
 */
import { assertNodeVersion } from './node-version.js'

assertNodeVersion()
// Loaded only after the version check: the networking stack misbehaves on older Node.js.
const { runCli } = await import('./commands.js')
try {
  process.exitCode = await runCli(process.argv.slice(2), process.env)
} catch (err) {
  const e = err as Error
  process.stderr.write(`${e.name}: ${e.message}\n`)
  process.exitCode = 1
}
// The messenger is stopped and its store closed: everything is durable. Should a library have left
// a timer or socket behind, exit anyway rather than hang a script (the timer itself holds nothing).
setTimeout(() => { process.exit() }, 2000).unref()
