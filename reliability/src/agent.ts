// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The rig's side of the agent program (`agent/main.ts`): start it on a host and send it commands.
 */

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Program } from './child.js'
import type { Host } from './network.js'

/** The agent program, built. */
export const AGENT_MAIN = join(fileURLToPath(new URL('.', import.meta.url)), 'agent', 'main.js')

/** An agent running on a host. */
export class Agent {
  private constructor (readonly program: Program, readonly host: Host) {}

  /** Starts an agent on `host`. */
  static async start (host: Host, label = `agent ${host.name}`, cpus?: string): Promise<Agent> {
    const program = host.spawn({ label, args: [AGENT_MAIN], ...(cpus != null ? { cpus } : {}) })
    await program.next(l => l.event === 'ready', 30_000)
    return new Agent(program, host)
  }

  /** Runs a command; resolves with its result, throws on an error line. */
  async run<T = unknown> (cmd: string, args: Record<string, unknown> = {}, timeoutMs = 600_000): Promise<T> {
    const line = await this.program.command({ cmd, ...args }, timeoutMs)
    if (line.event !== 'result') throw new Error(`agent ${cmd}: ${String(line.name)}: ${String(line.message)}`)
    return line.result as T
  }

  /** Unhandled rejections the agent reported (its own bugs, not the target's). */
  unhandled (): number {
    return this.program.lines().filter(l => l.event === 'agent-unhandled-rejection').length
  }

  /** Stops the agent (stdin closes; it cleans up and exits). */
  async stop (): Promise<void> {
    await this.program.closeStdin(10_000)
  }
}
