#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=50
// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `sotto-relay`: checks the runtime before anything else is loaded, then runs the relay.
 */

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  // libp2p starts on older Node.js and then fails every inbound connection silently.
  process.stderr.write(`sotto-relay needs Node.js 22.12 or newer; this is ${process.versions.node}\n`)
  process.exit(1)
}

const { main } = await import('./main.js')
await main(process.argv.slice(2))
