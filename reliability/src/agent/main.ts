// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The rig's agent: a program run on a simulated host that does what a test asks over stdin (one
 * JSON command per line, answered by a `result` or `error` line with the same `ref`): network
 * probes, an honest mailbox user measuring its deposits, attacks on a relay, fuzzing of live
 * protocol handlers. It exits when stdin closes.
 */

import { createInterface } from 'node:readline'
import { commands } from './commands.js'

const out = (value: unknown): void => { process.stdout.write(JSON.stringify(value) + '\n') }

process.on('unhandledRejection', (reason) => {
  out({ event: 'agent-unhandled-rejection', name: (reason as Error)?.name, message: (reason as Error)?.message })
})

createInterface({ input: process.stdin })
  .on('line', line => {
    let cmd: Record<string, unknown>
    try {
      cmd = JSON.parse(line) as Record<string, unknown>
    } catch {
      return
    }
    const handler = commands[String(cmd.cmd)]
    if (handler == null) {
      out({ event: 'error', ref: cmd.ref, name: 'UnknownCommand', message: String(cmd.cmd) })
      return
    }
    handler(cmd).then(
      result => { out({ event: 'result', ref: cmd.ref, result }) },
      (err: Error) => { out({ event: 'error', ref: cmd.ref, name: err.name, message: err.message }) }
    )
  })
  .on('close', () => {
    void commands.shutdown?.({}).finally(() => process.exit(0))
  })
out({ event: 'ready' })
