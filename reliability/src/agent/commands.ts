// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The agent's commands, by name. Each takes the command object and resolves with a JSON result.
 */

import { connectionFlood, depositFlood, garbage, oversizeFrames, slowLoris, streamFlood, sybils } from './attacks.js'
import { deliverBurst, fuzz } from './fuzz.js'
import { echoServer, roundTrips } from './net-probe.js'
import { HonestUser } from './probe.js'
import type { Target } from './attacks.js'
import type { FuzzProtocol } from './fuzz.js'
import type { Server } from 'node:net'

type Command = (cmd: Record<string, unknown>) => Promise<unknown>

const servers: Server[] = []
let honest: HonestUser | undefined

function str (cmd: Record<string, unknown>, key: string): string {
  const v = cmd[key]
  if (typeof v !== 'string') throw new TypeError(`"${key}" must be a string`)
  return v
}

function num (cmd: Record<string, unknown>, key: string, fallback?: number): number {
  const v = cmd[key] ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`"${key}" must be a number`)
  return v
}

function target (cmd: Record<string, unknown>): Target {
  return { relay: str(cmd, 'relay'), ip: str(cmd, 'ip'), port: num(cmd, 'port') }
}

/** Every command the agent takes. */
export const commands: Record<string, Command> = {
  echo: async (cmd) => {
    servers.push(await echoServer(str(cmd, 'host'), num(cmd, 'port')))
    return {}
  },
  'http-get': async (cmd) => {
    const res = await fetch(str(cmd, 'url'), { signal: AbortSignal.timeout(10_000) })
    return { status: res.status, body: (await res.text()).slice(0, 1024 * 1024) }
  },
  rtt: async (cmd) => roundTrips(str(cmd, 'host'), num(cmd, 'port'), num(cmd, 'count', 1), num(cmd, 'bytes', 64), num(cmd, 'timeoutMs', 5000)),
  'honest-setup': async (cmd) => {
    await honest?.close()
    honest = new HonestUser()
    return honest.setup(str(cmd, 'relay'))
  },
  'honest-start': async (cmd) => {
    if (honest == null) throw new Error('honest-setup first')
    honest.start(num(cmd, 'intervalMs', 125), num(cmd, 'bytes', 1024), num(cmd, 'drainEvery', 100))
    return {}
  },
  'honest-take': async () => honest?.take() ?? [],
  'honest-stop': async () => honest?.stop() ?? [],
  attack: async (cmd) => {
    const t = target(cmd)
    const duration = num(cmd, 'durationMs')
    switch (cmd.kind) {
      case 'connection-flood': return connectionFlood(t, duration)
      case 'stream-flood': return streamFlood(t, duration)
      case 'oversize-frames': return oversizeFrames(t, duration)
      case 'garbage': return garbage(t, duration, Array.isArray(cmd.protocols) ? cmd.protocols.map(String) : undefined)
      case 'slow-loris': return slowLoris(t, duration)
      case 'deposit-flood': return depositFlood(t, duration, str(cmd, 'honestMailboxId'))
      case 'sybils': return sybils(t, duration, num(cmd, 'count', 100))
      default: throw new TypeError(`unknown attack ${String(cmd.kind)}`)
    }
  },
  fuzz: async (cmd) => fuzz({
    target: str(cmd, 'target'),
    protocol: str(cmd, 'protocol') as FuzzProtocol,
    frames: num(cmd, 'frames'),
    seed: num(cmd, 'seed'),
    batch: num(cmd, 'batch', 64)
  }),
  'deliver-burst': async (cmd) => deliverBurst(str(cmd, 'target'), num(cmd, 'count'), num(cmd, 'envelopeBytes')),
  shutdown: async () => {
    for (const s of servers) s.close()
    await honest?.close()
  }
}
