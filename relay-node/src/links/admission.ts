// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Who may open a mailbox here. An open relay admits everyone. An invite-only relay admits a
 * mailbox for 10 minutes after a join request with a code from `<data>/join-codes` (one a line;
 * the relay writes one at its first start, the operator hands it out and may add or remove lines
 * at any time); creating a mailbox that was not admitted is refused. Mailboxes that exist stay.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CapacityError } from '../errors.js'
import type { MailboxStore } from '../mailbox/index.js'

/** The file of join codes, inside the data directory. */
export const JOIN_CODES_FILE = 'join-codes'

/** How long a join admits a mailbox that is not yet created. */
const ADMIT_MS = 10 * 60_000

/** Admission to an invite-only relay. */
export class Admission {
  private readonly admitted = new Map<string, number>()

  constructor (readonly inviteOnly: boolean, private readonly dataDir: string, private readonly now: () => number) {}

  /** Writes a first join code if the relay is invite-only and has none; resolves to the file's path. */
  async prepare (): Promise<string | undefined> {
    if (!this.inviteOnly) return undefined
    const file = join(this.dataDir, JOIN_CODES_FILE)
    try {
      await writeFile(file, randomBytes(16).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    return file
  }

  /** Admits a mailbox if `code` is one of the join codes; resolves to whether it was. */
  async join (mailboxId: string, code: string): Promise<boolean> {
    if (!this.inviteOnly) return true
    const codes = (await readFile(join(this.dataDir, JOIN_CODES_FILE), 'utf8').catch(() => '')).split('\n').map(l => l.trim()).filter(l => l !== '')
    const given = digest(code)
    // Compare digests in constant time, and every code, so that timing says nothing of the codes.
    const ok = codes.map(c => timingSafeEqual(digest(c), given)).includes(true)
    if (ok) this.admitted.set(mailboxId, this.now() + ADMIT_MS)
    return ok
  }

  /** Whether a mailbox may be created now. */
  mayCreate (mailboxId: string): boolean {
    if (!this.inviteOnly) return true
    const until = this.admitted.get(mailboxId)
    return until != null && until > this.now()
  }

  /** Forgets admissions that ran out. */
  sweep (): void {
    const now = this.now()
    for (const [id, until] of this.admitted) if (until <= now) this.admitted.delete(id)
  }

  /**
   * The mailbox store as the mailbox service should see it: creating a mailbox that was not
   * admitted fails as the relay being full would (`QUOTA`, with a message saying why).
   */
  guard (store: MailboxStore): MailboxStore {
    return new Proxy(store, {
      get: (target, property) => {
        if (property === 'createMailbox') {
          return async (record: Parameters<MailboxStore['createMailbox']>[0], max: number) => {
            if (!this.mayCreate(Buffer.from(record.id).toString('hex'))) {
              throw new CapacityError('this relay admits new users with a join code from its operator only')
            }
            return target.createMailbox(record, max)
          }
        }
        const value = Reflect.get(target, property, target) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
  }
}

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
