// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` commands, each declared once: its name, the values it takes, its help and its
 * handler. The command-line parser (`sotto --data DIR send bob 'Hi'`) and `run`'s JSON-line
 * dispatcher (`{"cmd":"send","to":"bob","text":"Hi"}`) both read this table, so a command cannot
 * exist, or answer differently, on one side only.
 *
 * A command of two words (`relays add`) is, in `run`, its first word with the second as a key:
 * `{"cmd":"relays","add":MULTIADDR}`.
 */
import { InvalidInputError } from '../errors.js'
import { CONVERSATION_COMMANDS } from './conversation-commands.js'
import { addCommand, inviteCommand } from './invite-links.js'
import { GROUP_COMMANDS } from './group-commands.js'
import { GUEST_COMMANDS } from './guest-commands.js'
import { contactLine, messageLine, relayLine, sendFileCommand, settledRelays, settledState } from './lines.js'
import { STORE_USAGE } from './store-commands.js'
import type { Messenger } from '../messenger/index.js'

/** The type of a value a command takes. */
export type FieldKind = 'string' | 'strings' | 'number' | 'flag'

/** One value a command takes. */
export interface Field {
  /** Its key in a `run` command, and in the handler's input. */
  key: string
  /** How the usage text shows it: `CONTACT`, `CC`. */
  label: string
  /** What it is, for error messages: "a contact". */
  what: string
  kind: FieldKind
  /** A positional argument on the command line; otherwise an option `--key`. */
  positional?: boolean
  /** May be left out. */
  optional?: boolean
  /** Smallest value of a number. */
  min?: number
  /** The one form that has it, when the other has no use for it. */
  only?: Surface
  /** An option every command line accepts (it configures the node the command opens). */
  global?: boolean
}

/** The two ways to give a command: a command line, or a JSON line to `run`. */
export type Surface = 'argv' | 'json'

/** The values of a command, checked against its fields. */
export type Input = Readonly<Record<string, string | string[] | number | boolean | undefined>>

/** What a handler runs with. */
export interface CommandContext {
  messenger: Messenger
  /**
   * A one-shot command line: nothing is printed after its answer, so it waits for what it started
   * (delivery, relay connections) and what it prints counts as read. In `run`, events follow.
   */
  oneShot: boolean
  /** `run` only: serves JSON-line commands until stdin closes or a signal arrives. */
  serve(): Promise<void>
}

/** One `sotto` command. */
export interface Command {
  /** One word, or two for a variant (`relays add`). */
  name: string
  fields: readonly Field[]
  /** A note shown after the usage line. */
  help?: string
  /** One JSON value; a list (a line each on the command line, an array in `run`); or nothing. */
  output: 'one' | 'lines' | 'none'
  /** Set when only one form has the command. */
  only?: Surface
  handler(ctx: CommandContext, input: Input): Promise<unknown>
}

const contact: Field = { key: 'contact', label: 'CONTACT', what: 'a contact', kind: 'string', positional: true }
const listen: Field = { key: 'listen', label: 'MULTIADDR', what: 'a multiaddr', kind: 'strings', optional: true, global: true, only: 'argv' }
const noMdns: Field = { key: 'no-mdns', label: '', what: 'no value', kind: 'flag', optional: true, global: true, only: 'argv' }
const path: Field = { key: 'path', label: 'PATH', what: 'a file path', kind: 'string', positional: true }
const timeout: Field = { key: 'timeout', label: 'SECONDS', what: 'a number of seconds', kind: 'number', min: 0, optional: true, only: 'argv' }
const codes = (verb: string): Field => ({ key: verb, label: 'CC', what: 'jurisdiction codes', kind: 'strings', positional: true })

const str = (input: Input, key: string): string => input[key] as string
/** The `--timeout` given, else `fallback`, in ms. */
const seconds = (input: Input, fallback: number): number => ((input.timeout as number | undefined) ?? fallback) * 1000
const upper = (input: Input, key: string): string[] => (input[key] as string[]).map(c => c.toUpperCase())

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'init',
    only: 'argv',
    fields: [
      { key: 'name', label: 'NAME', what: 'a name', kind: 'string', optional: true },
      listen,
      { key: 'relay', label: 'MULTIADDR|RELAY-LINK', what: 'a relay multiaddr or link', kind: 'strings', optional: true },
      noMdns,
      { key: 'hide-ip', label: '', what: 'no value', kind: 'flag', optional: true }
    ],
    help: '--hide-ip: contacts and their relays never see your IP address (your own relays do); see settings hide-ip',
    output: 'one',
    handler: async ({ messenger }, input) => {
      if (input['no-mdns'] === true) await messenger.updateSettings({ mdns: false })
      if (input['hide-ip'] === true) await messenger.updateSettings({ hideIp: true })
      const { invite, short } = await inviteCommand(messenger)
      return { peerId: messenger.identity().peerId, invite, ...(short != null ? { short } : {}) }
    }
  },
  {
    name: 'invite',
    fields: [
      { key: 'new', label: '', what: 'no value', kind: 'flag', optional: true },
      { key: 'qr', label: 'FILE.png', what: 'a file name', kind: 'string', optional: true },
      { key: 'short', label: '', what: 'no value', kind: 'flag', optional: true, only: 'json' }
    ],
    help: 'the long link, and the short one when a home relay is ready; --new revokes the short link and makes another',
    output: 'one',
    handler: async ({ messenger, oneShot }, input) => {
      const qr = input.qr as string | undefined
      // In `run`, the short link (which reaches a relay) only when asked, so a plain invite never waits on one.
      if (!oneShot && input.short !== true && input.new !== true && qr == null) return { invite: await messenger.invite() }
      return inviteCommand(messenger, { ...(qr != null ? { qr } : {}), renew: input.new === true })
    }
  },
  {
    name: 'add',
    fields: [
      { key: 'invite', label: 'INVITE', what: 'an invite link', kind: 'string', positional: true, optional: true },
      { key: 'qr', label: 'FILE.png', what: 'a file name', kind: 'string', optional: true },
      { key: 'alias', label: 'NAME', what: 'a name', kind: 'string', optional: true }
    ],
    help: 'a long or short invite link, or --qr with a QR image of one',
    output: 'one',
    handler: async ({ messenger }, input) => contactLine(await addCommand(messenger, input.invite as string | undefined, {
      ...(input.qr != null ? { qr: str(input, 'qr') } : {}),
      ...(input.alias != null ? { alias: str(input, 'alias') } : {})
    }))
  },
  { name: 'contacts', fields: [], output: 'lines', handler: async ({ messenger }) => (await messenger.contacts()).map(contactLine) },
  {
    name: 'requests',
    fields: [],
    help: 'then {"dropped":N} once older requests were dropped to keep the newest',
    output: 'lines',
    handler: async ({ messenger }) => {
      const lines: unknown[] = (await messenger.requests()).map(contactLine)
      const dropped = await messenger.droppedRequests()
      return dropped > 0 ? [...lines, { dropped }] : lines
    }
  },
  { name: 'accept', fields: [contact], output: 'one', handler: async ({ messenger }, input) => contactLine(await messenger.accept(str(input, 'contact'))) },
  { name: 'block', fields: [contact], output: 'one', handler: async ({ messenger }, input) => contactLine(await messenger.block(str(input, 'contact'))) },
  { name: 'unblock', fields: [contact], output: 'one', handler: async ({ messenger }, input) => contactLine(await messenger.unblock(str(input, 'contact'))) },
  {
    name: 'accept-identity',
    fields: [contact],
    help: 'their safety number changed: once compared, take the new key and open what it sent',
    output: 'one',
    handler: async ({ messenger }, input) => contactLine(await messenger.acceptIdentityChange(str(input, 'contact')))
  },
  {
    name: 'keep-identity',
    fields: [contact],
    help: 'their safety number changed, but not by them: keep the key they had, drop what the new one sent',
    output: 'one',
    handler: async ({ messenger }, input) => contactLine(await messenger.keepIdentity(str(input, 'contact')))
  },
  {
    name: 'send',
    fields: [
      { ...contact, key: 'to', label: 'CONTACT|GROUP' },
      { key: 'text', label: 'TEXT', what: 'a text', kind: 'string', positional: true },
      timeout
    ],
    help: 'waits up to SECONDS, 10 by default, for delivery',
    output: 'one',
    handler: async ({ messenger, oneShot }, input) => {
      const message = await messenger.send(str(input, 'to'), str(input, 'text'))
      if (!oneShot) return { id: message.id, state: message.state }
      const timeoutMs = seconds(input, 10)
      return { id: message.id, state: await settledState(messenger, message, timeoutMs) }
    }
  },
  {
    name: 'send-file',
    fields: [{ ...contact, key: 'to', label: 'CONTACT|GROUP' }, path, timeout],
    help: 'waits up to SECONDS, 60 by default, for delivery and for the file to reach the contact (or every member) or their relays',
    output: 'one',
    handler: async ({ messenger, oneShot }, input) => sendFileCommand(messenger, str(input, 'to'), str(input, 'path'), oneShot ? seconds(input, 60) : undefined)
  },
  {
    name: 'save',
    fields: [{ key: 'id', label: 'MESSAGE_ID', what: 'a message id', kind: 'string', positional: true }, path, timeout],
    help: 'waits up to SECONDS, 60 by default, for the file; decrypts it to PATH',
    output: 'one',
    handler: async ({ messenger }, input) => messenger.saveFile(str(input, 'id'), str(input, 'path'), { timeoutMs: seconds(input, 60) })
  },
  {
    name: 'history',
    fields: [{ ...contact, label: 'CONTACT|GROUP' }],
    help: 'oldest first; marks them read',
    output: 'lines',
    handler: async ({ messenger, oneShot }, input) => {
      const lines = (await messenger.history(str(input, 'contact'))).map(messageLine)
      if (oneShot) await messenger.markRead(str(input, 'contact'))
      return lines
    }
  },
  {
    name: 'read',
    fields: [contact],
    output: 'one',
    handler: async ({ messenger }, input) => { await messenger.markRead(str(input, 'contact')); return {} }
  },
  ...CONVERSATION_COMMANDS,
  {
    name: 'disappearing',
    fields: [contact, { key: 'seconds', label: 'SECONDS', what: 'a number of seconds', kind: 'number', positional: true }],
    help: '0 turns them off',
    output: 'one',
    handler: async ({ messenger }, input) => contactLine(await messenger.setDisappearing(str(input, 'contact'), input.seconds as number))
  },
  {
    name: 'relays',
    fields: [],
    output: 'lines',
    handler: async ({ messenger, oneShot }) => (oneShot ? await settledRelays(messenger) : await messenger.relays()).map(relayLine)
  },
  {
    name: 'relays add',
    fields: [
      { key: 'add', label: 'MULTIADDR|RELAY-LINK', what: 'a relay multiaddr or link', kind: 'string', positional: true },
      { key: 'code', label: 'CODE', what: 'a join code', kind: 'string', optional: true }
    ],
    help: 'CODE: the join code of an invite-only relay',
    output: 'one',
    handler: async ({ messenger }, input) => relayLine(await messenger.addRelay(str(input, 'add'), input.code != null ? { joinCode: str(input, 'code') } : {}))
  },
  {
    name: 'relays remove',
    fields: [{ key: 'remove', label: 'MULTIADDR', what: 'a relay multiaddr', kind: 'string', positional: true }],
    output: 'one',
    handler: async ({ messenger }, input) => {
      await messenger.removeRelay(str(input, 'remove'))
      return { removed: input.remove }
    }
  },
  {
    name: 'settings',
    fields: [
      { key: 'excludedJurisdictions', label: 'CC', what: 'a list of ISO 3166-1 codes', kind: 'strings', optional: true, only: 'json' },
      { key: 'readReceipts', label: '', what: 'true or false', kind: 'flag', optional: true, only: 'json' },
      { key: 'typingIndicators', label: '', what: 'true or false', kind: 'flag', optional: true, only: 'json' }
    ],
    output: 'one',
    handler: async ({ messenger }, input) => {
      const patch = Object.fromEntries(['excludedJurisdictions', 'readReceipts', 'typingIndicators'].filter(k => input[k] != null).map(k => [k, input[k]]))
      return Object.keys(patch).length > 0 ? await messenger.updateSettings(patch) : await messenger.settings()
    }
  },
  {
    name: 'settings exclude',
    fields: [codes('exclude')],
    help: 'ISO 3166-1 codes; your relays there are removed',
    output: 'one',
    handler: async ({ messenger }, input) => {
      const excluded = (await messenger.settings()).excludedJurisdictions
      return messenger.updateSettings({ excludedJurisdictions: [...excluded, ...upper(input, 'exclude')] })
    }
  },
  {
    name: 'settings include',
    fields: [codes('include')],
    output: 'one',
    handler: async ({ messenger }, input) => {
      const named = upper(input, 'include')
      const excluded = (await messenger.settings()).excludedJurisdictions
      return messenger.updateSettings({ excludedJurisdictions: excluded.filter(c => !named.includes(c)) })
    }
  },
  {
    name: 'settings hide-ip',
    fields: [{ key: 'hide-ip', label: 'on|off', what: 'on or off', kind: 'string', positional: true }],
    help: 'from the next start: reached only through your relays, which forward what you send (slower; they carry more); your own relays still see your IP address',
    output: 'one',
    handler: async ({ messenger }, input) => {
      const state = str(input, 'hide-ip')
      if (state !== 'on' && state !== 'off') throw new InvalidInputError('hide-ip is on or off')
      return messenger.updateSettings({ hideIp: state === 'on' })
    }
  },
  ...GROUP_COMMANDS,
  ...GUEST_COMMANDS,
  { name: 'run', only: 'argv', fields: [listen, noMdns], output: 'none', handler: async ({ serve }) => { await serve() } }
]

/** The command called `name`, if there is one. */
export function commandNamed (name: string): Command | undefined {
  return COMMANDS.find(c => c.name === name)
}

/** Whether `command` can be given in `surface`'s form; likewise for a field. */
export function offers (thing: { only?: Surface }, surface: Surface): boolean {
  return thing.only == null || thing.only === surface
}

/** The command-line option of a field: `[--alias NAME]`, `[--listen MULTIADDR]...`. */
function optionUsage (f: Field): string {
  if (f.kind === 'flag') return `[--${f.key}]`
  return `[--${f.key} ${f.label}]${f.kind === 'strings' ? '...' : ''}`
}

/** One command's usage line, as `sotto --help` prints it. */
export function usageLine (c: Command): string {
  const parts = [c.name]
  for (const f of c.fields) {
    if (!offers(f, 'argv')) continue
    if (f.positional === true) parts.push(f.kind === 'strings' ? `${f.label}...` : f.label)
    else parts.push(optionUsage(f))
  }
  const line = parts.join(' ')
  return c.help != null ? `${line.padEnd(32)} (${c.help})` : line
}

/** Usage text printed by `sotto --help`. */
export const USAGE = `Usage: sotto --data DIR <command> [options]

${COMMANDS.filter(c => offers(c, 'argv')).map(c => `  ${usageLine(c)}`).join('\n')}
${STORE_USAGE}

The data directory's passphrase is read from SOTTO_PASSPHRASE. Output is JSON on stdout.
In \`run\`, each command is a JSON line on stdin: {"cmd":"send","to":CONTACT,"text":TEXT}, with
"ref" to find its answer; a two-word command is its first word with the second as a key:
{"cmd":"relays","add":MULTIADDR}, or "action": {"cmd":"group","action":"add","group":GROUP,"contact":CONTACT}.
init and run exist on the command line only; typing
({"cmd":"typing","to":CONTACT,"started":BOOL}) in run only.
`
