// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The two readers of the command table (`table.ts`): the command-line parser, and `run`'s JSON-line
 * dispatcher. Each prints JSON on stdout; `run` stays online, printing one JSON line per event and
 * taking one JSON command per line on stdin.
 */
import { parseArgs } from 'node:util'
import { InvalidInputError } from '../errors.js'
import { jsonLoggers } from '../logger.js'
import { createMessenger } from '../messenger/index.js'
import { checkNewPassphrase } from '../passphrase.js'
import { hasStore } from '../storage/index.js'
import { serveSession } from './run-session.js'
import { STORE_COMMANDS, STORE_OPTIONS, runStoreCommand } from './store-commands.js'
import { COMMANDS, USAGE, commandNamed, offers } from './table.js'
import type { CliIo } from './run-session.js'
import type { Command, Field, Input } from './table.js'
import type { LogLevel } from '../logger.js'
import type { Messenger, MessengerOptions } from '../messenger/index.js'

export { USAGE } from './table.js'
export type { CliIo } from './run-session.js'

type Env = Record<string, string | undefined>

/** Opens the messenger a command runs on (replaced in tests). */
export type MessengerOpener = (options: MessengerOptions) => Promise<Messenger>

type ArgValues = Record<string, string | boolean | Array<string | boolean> | undefined>

/** Runs one command line; resolves with the exit code. */
export async function runCli (argv: string[], env: Env, io: CliIo = processIo(), open: MessengerOpener = createMessenger): Promise<number> {
  let parsed: { values: ArgValues, positionals: string[] }
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: argvOptions() })
  } catch (err) {
    throw new InvalidInputError(`${(err as Error).message}; see sotto --help`)
  }
  const { values, positionals } = parsed
  if (values.help === true || positionals.length === 0) {
    io.out(USAGE)
    return values.help === true ? 0 : 2
  }
  const dataDir = values.data
  if (typeof dataDir !== 'string') throw new InvalidInputError('--data DIR is required')
  if (STORE_COMMANDS.includes(positionals[0] ?? '')) return await runStoreCommand(dataDir, positionals, values, env, io)
  const { command, args } = argvCommand(positionals)
  const input = argvInput(command, args, values)
  const passphrase = env.SOTTO_PASSPHRASE
  if (passphrase == null || passphrase.length === 0) throw new InvalidInputError('set SOTTO_PASSPHRASE to the data directory\'s passphrase')
  // The rule holds for new data directories only: one made with a shorter passphrase still opens.
  if (command.name === 'init' || !hasStore(dataDir)) checkNewPassphrase(passphrase)
  const level = (env.SOTTO_LOG_LEVEL ?? (command.name === 'run' ? 'info' : 'warn')) as LogLevel
  const messenger = await open({
    dataDir,
    keySource: { kind: 'passphrase', passphrase },
    logger: jsonLoggers(io.err, level),
    ...(command.name === 'init' && input.name != null ? { name: input.name as string } : {}),
    ...(input.listen != null ? { listen: input.listen as string[] } : {}),
    ...(input.relay != null ? { relays: input.relay as string[] } : {}),
    ...(input['no-mdns'] === true ? { mdns: false } : {}),
    ...(input['hide-ip'] === true ? { hideIp: true } : {})
  })
  try {
    const serve = async (): Promise<void> => serveSession(messenger, io, async line => dispatchLine(messenger, line))
    const result = await command.handler({ messenger, oneShot: command.name !== 'run', serve }, input)
    if (command.output === 'lines') for (const line of result as unknown[]) io.out(JSON.stringify(line) + '\n')
    else if (command.output === 'one') io.out(JSON.stringify(result) + '\n')
  } finally {
    await messenger.stop()
  }
  return 0
}

/** Runs one JSON command line of `run`; answers its `result` or `error` line. */
export async function dispatchLine (messenger: Messenger, line: string): Promise<Record<string, unknown>> {
  let request: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(line)
    if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidInputError('a command is a JSON object')
    request = parsed as Record<string, unknown>
  } catch (err) {
    return { event: 'error', name: 'InvalidInputError', message: (err as Error).message }
  }
  const tag = { cmd: request.cmd, ...(request.ref != null ? { ref: request.ref } : {}) }
  try {
    const command = jsonCommand(request)
    const serve = async (): Promise<void> => { throw new InvalidInputError('run is already running') }
    const result = await command.handler({ messenger, oneShot: false, serve }, jsonInput(command, request))
    return { event: 'result', ...tag, result }
  } catch (err) {
    const e = err as Error
    return { event: 'error', ...tag, name: e.name, message: e.message }
  }
}

function processIo (): CliIo {
  return {
    out: text => { process.stdout.write(text) },
    err: text => { process.stderr.write(text) },
    input: process.stdin
  }
}

/** The options `parseArgs` knows: `--data`, `--help`, and every option field of the table. */
function argvOptions (): Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string }> {
  const options: ReturnType<typeof argvOptions> = { data: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...STORE_OPTIONS }
  for (const f of COMMANDS.flatMap(c => c.fields)) {
    if (f.positional === true || !offers(f, 'argv')) continue
    options[f.key] = { type: f.kind === 'flag' ? 'boolean' : 'string', ...(f.kind === 'strings' ? { multiple: true } : {}) }
  }
  return options
}

/** The command a command line names (`relays add …` before `relays …`), and its arguments. */
function argvCommand (positionals: string[]): { command: Command, args: string[] } {
  const [first = '', second] = positionals
  const variant = second != null ? commandNamed(`${first} ${second}`) : undefined
  if (variant != null && offers(variant, 'argv')) return { command: variant, args: positionals.slice(2) }
  const command = first.includes(' ') ? undefined : commandNamed(first)
  if (command == null || !offers(command, 'argv')) throw new InvalidInputError(`unknown command ${JSON.stringify(first)}; see sotto --help`)
  return { command, args: positionals.slice(1) }
}

/** The variants of a command, by their second word (`add`, `remove` of `relays`). */
function variantsOf (command: Command): string[] {
  return COMMANDS.filter(c => c.name.startsWith(`${command.name} `)).map(c => c.name.split(' ')[1] as string)
}

/** Checks a command line's arguments and options against `command`'s fields. */
function argvInput (command: Command, args: string[], values: ArgValues): Input {
  const input: Record<string, Input[string]> = {}
  const positional = command.fields.filter(f => f.positional === true && offers(f, 'argv'))
  const variadic = positional.at(-1)?.kind === 'strings'
  if (!variadic && args.length > positional.length) {
    const variants = variantsOf(command)
    if (positional.length === 0 && variants.length > 0) {
      throw new InvalidInputError(`${command.name} takes ${variants.join(' or ')}, not ${JSON.stringify(args[0])}`)
    }
    const takes = positional.length === 0 ? 'no arguments' : positional.map(f => f.label).join(' ')
    throw new InvalidInputError(`${command.name} takes ${takes}, not ${args.length} arguments (quote a value with spaces)`)
  }
  const required = positional.filter(f => f.optional !== true)
  if (args.length < required.length || (variadic && args.length < positional.length)) {
    throw new InvalidInputError(`${command.name} needs ${required.map(f => f.what).join(' and ')}`)
  }
  positional.forEach((f, i) => {
    input[f.key] = f.kind === 'strings' ? args.slice(i) : argvValue(f, args[i] as string, f.label)
  })
  for (const [key, value] of Object.entries(values)) {
    if (key === 'data' || key === 'help' || value === undefined) continue
    if (key in STORE_OPTIONS) throw new InvalidInputError(`${command.name} takes no --${key}; see sotto --help`)
    const field = command.fields.find(f => f.key === key && f.positional !== true) ??
      COMMANDS.flatMap(c => c.fields).find(f => f.key === key && f.global === true)
    if (field == null) throw new InvalidInputError(`${command.name} takes no --${key}; see sotto --help`)
    input[key] = field.kind === 'number' ? argvValue(field, value as string, `--${key}`) : value as Input[string]
  }
  return input
}

function argvValue (f: Field, value: string, shown: string): string | number {
  if (f.kind !== 'number') return value
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < (f.min ?? -Infinity)) throw new InvalidInputError(`${shown} takes ${f.what}`)
  return n
}

/** The command a JSON line names: `cmd`, or `cmd` with a variant's key (`"relays"` with `"add"`). */
function jsonCommand (request: Record<string, unknown>): Command {
  const cmd = request.cmd
  if (typeof cmd === 'string' && !cmd.includes(' ')) {
    // A variant is named by its second word as a key, or as `"action"` (`{"cmd":"group","action":"add",…}`).
    const variant = COMMANDS.find(c => offers(c, 'json') && c.name.startsWith(`${cmd} `) &&
      (request[c.name.split(' ')[1] as string] != null || request.action === c.name.split(' ')[1]))
    const command = variant ?? commandNamed(cmd)
    if (command != null && offers(command, 'json')) return command
  }
  throw new InvalidInputError(`unknown command ${JSON.stringify(cmd)}`)
}

const KIND_WHAT = { string: 'a string', strings: 'a list of strings', number: 'a number', flag: 'true or false' } as const

/** Checks a JSON command's values against `command`'s fields. */
function jsonInput (command: Command, request: Record<string, unknown>): Input {
  const input: Record<string, Input[string]> = {}
  for (const f of command.fields) {
    if (!offers(f, 'json')) continue
    const value = request[f.key]
    if (value == null && f.optional === true) continue
    const fits = f.kind === 'strings'
      ? Array.isArray(value) && value.every(v => typeof v === 'string')
      : f.kind === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && value >= (f.min ?? -Infinity)
        : typeof value === (f.kind === 'flag' ? 'boolean' : 'string')
    if (!fits) throw new InvalidInputError(`"${f.key}" must be ${KIND_WHAT[f.kind]}`)
    input[f.key] = value as Input[string]
  }
  return input
}
