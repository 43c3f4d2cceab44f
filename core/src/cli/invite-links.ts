// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The CLI's handlers for invites as links and QR codes: `invite [--new] [--qr FILE.png]` and
 * `add INVITE | add --qr FILE.png`. Each returns the JSON object to print.
 */
import { InvalidInputError } from '../errors.js'
import { readQrPng, writeQrPng } from '../links/index.js'
import type { Contact, Messenger } from '../messenger/index.js'

/** Options of {@link inviteCommand}. */
export interface InviteCommandOptions {
  /** Write the QR code of the short link (or, without one, of the long QR form) to this PNG file. */
  qr?: string
  /** "New link": revoke the short link and make another. */
  renew?: boolean
}

/** What `invite` prints. */
export interface InviteCommandResult {
  /** The long invite link: works without any relay. */
  invite: string
  /** The short link, when a home relay is ready and reachable. */
  short?: string
  /** The QR code written: its file and version. */
  qr?: { file: string, version: number }
}

/**
 * `invite`: the long link, the short one when a home relay is ready (a relay that cannot be
 * reached now leaves it out rather than failing the command), and the QR image if asked for.
 */
export async function inviteCommand (messenger: Messenger, options: InviteCommandOptions = {}): Promise<InviteCommandResult> {
  const invite = await messenger.invite()
  let short: string | undefined
  try {
    short = options.renew === true ? await messenger.newShortInvite() : await messenger.shortInvite()
  } catch (err) {
    if (options.renew === true) throw err
    short = undefined
  }
  const result: InviteCommandResult = { invite, ...(short != null ? { short } : {}) }
  if (options.qr != null) {
    // Without a short link, the long QR form (base45) still fits a QR code, at a high version.
    const text = short ?? await messenger.inviteQr()
    result.qr = { file: options.qr, version: await writeQrPng(text, options.qr) }
  }
  return result
}

/** `add INVITE` or `add --qr FILE.png`: adds a contact from a long or short link, or a QR image of one. */
export async function addCommand (messenger: Messenger, invite: string | undefined, options: { qr?: string, alias?: string } = {}): Promise<Contact> {
  if ((invite == null) === (options.qr == null)) throw new InvalidInputError('add needs an invite link or --qr FILE.png, not both')
  const link = invite ?? await readQrPng(options.qr as string)
  return messenger.addContact(link, options.alias != null ? { alias: options.alias } : {})
}
