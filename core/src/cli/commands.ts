// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` commands. Each prints JSON on stdout; `run` stays online, printing one JSON line per
 * event and taking one JSON command per line on stdin.
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { InvalidInputError, TimeoutError } from '../errors.js'
import { jsonLoggers } from '../logger.js'
import { addCommand, inviteCommand } from './invite-links.js'
import { createMessenger } from '../messenger/index.js'
import type { LogLevel } from '../logger.js'
import type { Contact, Message, Messenger, MessengerOptions, RelayView } from '../messenger/index.js'

/** Usage text printed by `sotto --help`. */
export const USAGE = `Usage: sotto --data DIR <command> [options]

  init [--name NAME] [--listen MULTIADDR]... [--relay MULTIADDR|RELAY-LINK]... [--no-mdns]
  invite [--new] [--qr FILE.png]    (--new: a new short link; the old one is revoked)
  add INVITE [--alias NAME]         (a long or short invite link)
  add --qr FILE.png [--alias NAME]
  contacts
  requests
  accept CONTACT
  block CONTACT
  send CONTACT TEXT [--timeout SECONDS]
  history CONTACT
  relays
  relays add MULTIADDR|RELAY-LINK [--code CODE]
  relays remove MULTIADDR
  settings
  settings exclude CC...          (ISO 3166-1 codes; your relays there are removed)
  settings include CC...
  run [--listen MULTIADDR]... [--no-mdns]

The data directory's passphrase is read from SOTTO_PASSPHRASE. Output is JSON on stdout.
`

type Env = Record<string, string | undefined>

/** Runs one command line; resolves with the exit code. */
export async function runCli (argv: string[], env: Env, io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      name: { type: 'string' },
      listen: { type: 'string', multiple: true },
      relay: { type: 'string', multiple: true },
      alias: { type: 'string' },
      qr: { type: 'string' },
      new: { type: 'boolean' },
      code: { type: 'string' },
      timeout: { type: 'string' },
      'no-mdns': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  const [command, ...args] = positionals
  if (values.help === true || command == null) {
    io.out(USAGE)
    return command == null && values.help !== true ? 2 : 0
  }
  if (values.data == null) throw new InvalidInputError('--data DIR is required')
  const passphrase = env.SOTTO_PASSPHRASE
  if (passphrase == null || passphrase.length === 0) throw new InvalidInputError('set SOTTO_PASSPHRASE to the data directory\'s passphrase')
  const level = (env.SOTTO_LOG_LEVEL ?? (command === 'run' ? 'info' : 'warn')) as LogLevel
  const options: MessengerOptions = {
    dataDir: values.data,
    keySource: { kind: 'passphrase', passphrase },
    logger: jsonLoggers(io.err, level),
    ...(values.name != null ? { name: values.name } : {}),
    ...(values.listen != null ? { listen: values.listen } : {}),
    ...(values.relay != null ? { relays: values.relay } : {}),
    ...(values['no-mdns'] === true ? { mdns: false } : {})
  }
  const need = (n: number, what: string): void => {
    if (args.length < n) throw new InvalidInputError(`${command} needs ${what}`)
  }
  const json = (value: unknown): void => { io.out(JSON.stringify(value) + '\n') }

  if (command === 'run') {
    return run(options, io)
  }
  const messenger = await createMessenger(options)
  try {
    switch (command) {
      case 'init':
        if (values['no-mdns'] === true) await messenger.updateSettings({ mdns: false })
        json({ peerId: messenger.identity().peerId, invite: await messenger.invite() })
        break
      case 'invite':
        json(await inviteCommand(messenger, { ...(values.qr != null ? { qr: values.qr } : {}), renew: values.new === true }))
        break
      case 'add':
        json(contactLine(await addCommand(messenger, args[0], { ...(values.qr != null ? { qr: values.qr } : {}), ...(values.alias != null ? { alias: values.alias } : {}) })))
        break
      case 'contacts':
        for (const c of await messenger.contacts()) json(contactLine(c))
        break
      case 'requests':
        for (const c of await messenger.requests()) json(contactLine(c))
        break
      case 'accept':
        need(1, 'a contact')
        json(contactLine(await messenger.accept(args[0] as string)))
        break
      case 'block':
        need(1, 'a contact')
        json(contactLine(await messenger.block(args[0] as string)))
        break
      case 'send': {
        need(2, 'a contact and a text')
        const timeout = parseTimeout(values.timeout)
        const message = await messenger.send(args[0] as string, args[1] as string)
        json({ id: message.id, state: await settledState(messenger, message, timeout) })
        break
      }
      case 'history': {
        need(1, 'a contact')
        for (const m of await messenger.history(args[0] as string)) json(messageLine(m))
        await messenger.markRead(args[0] as string)
        break
      }
      case 'relays': {
        const [verb, addr] = args
        if (verb === 'add') {
          need(2, 'a relay multiaddr')
          json(relayLine(await messenger.addRelay(addr as string, values.code != null ? { joinCode: values.code } : {})))
        } else if (verb === 'remove') {
          need(2, 'a relay multiaddr')
          await messenger.removeRelay(addr as string)
          json({ removed: addr })
        } else if (verb == null) {
          for (const r of await settledRelays(messenger)) json(relayLine(r))
        } else {
          throw new InvalidInputError(`relays takes add or remove, not ${JSON.stringify(verb)}`)
        }
        break
      }
      case 'settings': {
        const [verb, ...codes] = args
        if (verb == null) {
          json(await messenger.settings())
          break
        }
        if (verb !== 'exclude' && verb !== 'include') throw new InvalidInputError(`settings takes exclude or include, not ${JSON.stringify(verb)}`)
        need(2, 'jurisdiction codes')
        const named = codes.map(c => c.toUpperCase())
        const excluded = (await messenger.settings()).excludedJurisdictions
        json(await messenger.updateSettings({
          excludedJurisdictions: verb === 'exclude' ? [...excluded, ...named] : excluded.filter(c => !named.includes(c))
        }))
        break
      }
      default:
        throw new InvalidInputError(`unknown command ${JSON.stringify(command)}; see sotto --help`)
    }
  } finally {
    await messenger.stop()
  }
  return 0
}

/** Where the CLI writes. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  input: NodeJS.ReadableStream
}

function processIo (): CliIo {
  return {
    out: text => { process.stdout.write(text) },
    err: text => { process.stderr.write(text) },
    input: process.stdin
  }
}

function parseTimeout (value: string | undefined): number {
  if (value == null) return 10_000
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidInputError('--timeout takes a number of seconds')
  return seconds * 1000
}

/** Waits up to `timeoutMs` for the message to leave `queued`; answers the state it reached. */
async function settledState (messenger: Messenger, message: Message, timeoutMs: number): Promise<string> {
  try {
    return (await messenger.waitForState(message.id, ['delivered'], timeoutMs)).state
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err
    const [latest] = (await messenger.history(message.contactId)).filter(m => m.id === message.id)
    return latest?.state ?? message.state
  }
}

/** The relays once each is reachable, or after a few seconds: a fresh process has just dialled them. */
async function settledRelays (messenger: Messenger, waitMs = 3000): Promise<RelayView[]> {
  const deadline = Date.now() + waitMs
  let relays = await messenger.relays()
  while (relays.some(r => !r.reachable) && Date.now() < deadline) {
    await new Promise<void>(resolve => {
      const done = (): void => { clearTimeout(timer); messenger.off('relay', done); resolve() }
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()))
      messenger.on('relay', done)
    })
    relays = await messenger.relays()
  }
  return relays
}

function relayLine (r: RelayView): Record<string, unknown> {
  return {
    addr: r.addr,
    peerId: r.peerId,
    ...(r.info != null
      ? {
          operator: r.info.operator,
          contact: r.info.contact,
          jurisdiction: r.info.jurisdiction,
          retentionSeconds: r.info.retentionSeconds,
          maxEnvelopeBytes: r.info.maxEnvelopeBytes,
          mailboxMaxEnvelopes: r.info.mailboxMaxEnvelopes,
          mailboxMaxBytes: r.info.mailboxMaxBytes,
          contactRate: r.info.contactRate,
          introductionRate: r.info.introductionRate,
          version: r.info.version
        }
      : {}),
    reachable: r.reachable,
    reserved: r.reserved,
    mailboxReady: r.mailboxReady
  }
}

function contactLine (c: Contact): Record<string, unknown> {
  return {
    contact: c.id,
    alias: c.alias,
    name: c.displayName,
    peerId: c.peerId,
    status: c.status,
    safetyNumber: c.safetyNumber,
    verified: c.verified,
    blocked: c.blocked,
    unread: c.unread,
    disappearingSeconds: c.disappearingSeconds,
    presence: c.presence,
    mailboxes: c.mailboxes
  }
}

function messageLine (m: Message): Record<string, unknown> {
  return { id: m.id, contact: m.contactId, direction: m.direction, text: m.text, sentAt: m.sentAt, state: m.state, ...(m.expiresAt != null ? { expiresAt: m.expiresAt } : {}) }
}

/** `run`: online until stdin closes or a signal arrives. */
async function run (options: MessengerOptions, io: CliIo): Promise<number> {
  const messenger = await createMessenger(options)
  const json = (value: unknown): void => { io.out(JSON.stringify(value) + '\n') }
  // A printed line is the display: the message counts as read from there. Reads are marked once
  // per conversation per burst rather than once per message.
  const unread = new Set<string>()
  let marking: NodeJS.Timeout | undefined
  const markRead = async (): Promise<void> => {
    marking = undefined
    const contacts = [...unread]
    unread.clear()
    await Promise.all(contacts.map(async contactId => { await messenger.markRead(contactId).catch(() => {}) }))
  }
  messenger.on('message', m => {
    json({ event: 'message', from: m.contactId, id: m.id, text: m.text, sentAt: m.sentAt })
    unread.add(m.contactId)
    marking ??= setTimeout(() => { void markRead() }, 100)
  })
  messenger.on('status', s => { json({ event: 'status', id: s.id, contact: s.contactId, state: s.state, ...(s.failure != null ? { failure: s.failure } : {}) }) })
  messenger.on('request', c => { json({ event: 'request', ...contactLine(c) }) })
  messenger.on('connection', c => { json({ event: 'connection', contact: c.contactId, presence: c.presence }) })
  messenger.on('expired', e => { json({ event: 'expired', contact: e.contactId, ids: e.ids }) })
  messenger.on('contact', c => { json({ event: 'contact', ...contactLine(c) }) })
  messenger.on('relay', r => { json({ event: 'relay', ...relayLine(r) }) })
  json({ event: 'ready', peerId: messenger.identity().peerId, addrs: messenger.addresses() })

  let pending = Promise.resolve()
  const done = new Promise<void>(resolve => {
    const lines = createInterface({ input: io.input })
    lines.on('line', line => {
      if (line.trim() === '') return
      pending = pending.then(async () => json(await runCommand(messenger, line)))
    })
    lines.on('close', () => resolve())
    process.once('SIGTERM', () => resolve())
    process.once('SIGINT', () => resolve())
  })
  await done
  await pending
  clearTimeout(marking)
  await markRead()
  await messenger.stop()
  return 0
}

/** Runs one stdin command of `run`; answers a `result` or `error` line. */
async function runCommand (messenger: Messenger, line: string): Promise<Record<string, unknown>> {
  let request: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(line)
    if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidInputError('a command is a JSON object')
    request = parsed as Record<string, unknown>
  } catch (err) {
    return { event: 'error', name: 'InvalidInputError', message: (err as Error).message }
  }
  const ref = request.ref
  const str = (key: string): string => {
    const value = request[key]
    if (typeof value !== 'string') throw new InvalidInputError(`"${key}" must be a string`)
    return value
  }
  try {
    let result: unknown
    switch (request.cmd) {
      case 'send': {
        const m = await messenger.send(str('to'), str('text'))
        result = { id: m.id, state: m.state }
        break
      }
      // The short link reaches a relay: only when asked, so that a plain invite never waits on one.
      case 'invite': result = request.short === true || typeof request.qr === 'string' ? { ...await inviteCommand(messenger, typeof request.qr === 'string' ? { qr: request.qr } : {}) } : { invite: await messenger.invite() }; break
      case 'add': result = contactLine(await messenger.addContact(str('invite'), typeof request.alias === 'string' ? { alias: request.alias } : {})); break
      case 'contacts': result = (await messenger.contacts()).map(contactLine); break
      case 'requests': result = (await messenger.requests()).map(contactLine); break
      case 'accept': result = contactLine(await messenger.accept(str('contact'))); break
      case 'block': result = contactLine(await messenger.block(str('contact'))); break
      case 'unblock': result = contactLine(await messenger.unblock(str('contact'))); break
      case 'history': result = (await messenger.history(str('contact'))).map(messageLine); break
      case 'relays': {
        if (request.add != null) result = relayLine(await messenger.addRelay(str('add')))
        else if (request.remove != null) {
          await messenger.removeRelay(str('remove'))
          result = { removed: request.remove }
        } else result = (await messenger.relays()).map(relayLine)
        break
      }
      case 'read': await messenger.markRead(str('contact')); result = {}; break
      case 'settings': {
        const excluded = request.excludedJurisdictions
        if (excluded != null && (!Array.isArray(excluded) || !excluded.every(c => typeof c === 'string'))) {
          throw new InvalidInputError('"excludedJurisdictions" must be a list of ISO 3166-1 codes')
        }
        result = excluded != null ? await messenger.updateSettings({ excludedJurisdictions: excluded }) : await messenger.settings()
        break
      }
      case 'disappearing': {
        const seconds = request.seconds
        if (typeof seconds !== 'number') throw new InvalidInputError('"seconds" must be a number')
        result = contactLine(await messenger.setDisappearing(str('contact'), seconds))
        break
      }
      default: throw new InvalidInputError(`unknown command ${JSON.stringify(request.cmd)}`)
    }
    return { event: 'result', cmd: request.cmd, ...(ref != null ? { ref } : {}), result }
  } catch (err) {
    const e = err as Error
    return { event: 'error', cmd: request.cmd, ...(ref != null ? { ref } : {}), name: e.name, message: e.message }
  }
}
