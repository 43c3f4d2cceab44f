// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The proxy as a program, run by the rig inside an edge namespace:
 * `node proxy-main.js '<json: {routes, impairment, seed}>'`. Prints `{"event":"ready"}` once
 * listening; takes `{"cmd":"set","impairment":…}`, `{"cmd":"stats"}` and `{"cmd":"reset"}` on
 * stdin, answering each with a `result` line; exits when stdin closes.
 */

import { createInterface } from 'node:readline'
import { ChunkProxy } from './proxy.js'
import type { Impairment, ProxyRoute } from './proxy.js'

interface Config {
  routes: ProxyRoute[]
  impairment?: Impairment
  seed?: number
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config
const proxy = new ChunkProxy(config.routes, config.impairment, config.seed ?? 1)
const out = (value: unknown): void => { process.stdout.write(JSON.stringify(value) + '\n') }

try {
  await proxy.start()
} catch (err) {
  process.stderr.write(`proxy: ${(err as Error).message}\n`)
  process.exit(1)
}
out({ event: 'ready', routes: config.routes.length })

createInterface({ input: process.stdin })
  .on('line', line => {
    let cmd: { cmd?: string, ref?: number, impairment?: Impairment }
    try {
      cmd = JSON.parse(line) as typeof cmd
    } catch {
      return
    }
    if (cmd.cmd === 'set' && cmd.impairment != null) proxy.set(cmd.impairment)
    if (cmd.cmd === 'reset') proxy.resetAll()
    out({ event: 'result', ref: cmd.ref, result: proxy.stats() })
  })
  .on('close', () => {
    void proxy.close().then(() => process.exit(0))
  })
