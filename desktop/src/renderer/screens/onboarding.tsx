// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding: a name, an optional (or, without a keychain, required) passphrase, and relays; or
 * restoring a backup made on another computer. The offered relays (a distributor's list) are
 * chosen by default, with their join codes. A newcomer who arrives with an invite sees who invited
 * them first; that person's relays that accept newcomers are chosen, and "Create" also adds them.
 */
import { useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { cleanName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import { InviteEntry, InvitedBy, useInviter } from './onboarding-invite.js'
import { RelayChoice } from './onboarding-relays.js'
import { RestoreBackup } from './onboarding-restore.js'
import type { FormEvent, ReactNode } from 'react'
import type { AppStatus, InvitePreviewView, RelayView } from '../../shared/contract.js'

/** Props of {@link KeyProtection}. */
interface KeyProtectionProps {
  status: AppStatus
  usePassphrase: boolean
  onUsePassphrase: (use: boolean) => void
  needsPassphrase: boolean
  passphrase: string
  onPassphrase: (value: string) => void
  confirm: string
  onConfirm: (value: string) => void
}

/** How the data is protected: the keychain, or a passphrase typed twice. */
function KeyProtection (props: KeyProtectionProps): ReactNode {
  const { status, usePassphrase, needsPassphrase } = props
  const ids = { pass: useId(), confirm: useId(), withPass: useId() }
  return (
    <fieldset>
      <legend>Protect your data</legend>
      {status.passphraseProvided
        ? <p>The storage passphrase comes from the environment (SOTTO_PASSPHRASE).</p>
        : status.keyStorage === 'keychain'
          ? (
            <p>
              <input id={ids.withPass} type='checkbox' checked={usePassphrase} onChange={e => { props.onUsePassphrase(e.target.checked) }} />
              <label htmlFor={ids.withPass}>Use a passphrase instead of the system keychain</label>
            </p>
            )
          : <p>This system has no keychain, so your data is protected with a passphrase.</p>}
      {needsPassphrase && (
        <>
          <label htmlFor={ids.pass}>Passphrase</label>
          <input id={ids.pass} type='password' value={props.passphrase} onChange={e => { props.onPassphrase(e.target.value) }} autoComplete='new-password' />
          <label htmlFor={ids.confirm}>Repeat the passphrase</label>
          <input id={ids.confirm} type='password' value={props.confirm} onChange={e => { props.onConfirm(e.target.value) }} autoComplete='new-password' />
          <p className='hint'>There is no way to recover it if you forget it.</p>
        </>
      )}
    </fieldset>
  )
}

/** Props of {@link Onboarding}. */
export interface OnboardingProps {
  /** App status. */
  status: AppStatus
  /** The invite link that brought the user (opened from outside the app, pasted or read here), if any. */
  arrivedWith?: string
  /** Called with an invite the user gave on this screen, or undefined when they drop it. */
  onInvite?: (invite: string | undefined) => void
  /** Called as "Create" is pressed: the invite whose owner the new identity adds, if one is shown. */
  onJoin?: (invite: string | undefined) => void
  /** A relay link opened from outside the app: read and put among the chosen relays. */
  relayLink?: string
}

/** The join codes to send: typed ones, for the chosen relays only. */
function joinCodesFor (relays: readonly string[], codes: Readonly<Record<string, string>>): Array<{ address: string, code: string }> {
  return relays.filter(a => (codes[a] ?? '').trim() !== '').map(address => ({ address, code: codes[address]!.trim() }))
}

/** The onboarding screen. */
export function Onboarding ({ status, arrivedWith, onInvite, onJoin, relayLink }: OnboardingProps): ReactNode {
  const client = useClient()
  const nameId = useId()
  const [name, setName] = useState('')
  const [usePassphrase, setUsePassphrase] = useState(status.keyStorage === 'passphrase')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [selected, setSelected] = useState<string[]>(status.defaultRelays.map(r => r.address))
  const [codes, setCodes] = useState<Record<string, string>>(() => Object.fromEntries(status.defaultRelays.filter(r => r.joinCode != null).map(r => [r.address, r.joinCode!])))
  const [own, setOwn] = useState<RelayView[]>([])
  const [inviter, setInviter] = useState<InvitePreviewView>()
  const [formError, setFormError] = useState<string>()
  const [restoring, setRestoring] = useState(false)
  const needsPassphrase = !status.passphraseProvided && (status.keyStorage === 'passphrase' || usePassphrase)

  const relays = [...selected, ...own.map(r => r.address)]
  const chosen = [...status.defaultRelays.filter(r => selected.includes(r.address)), ...own]
  const missingCode = chosen.find(r => r.inviteOnly === true && (codes[r.address] ?? '').trim() === '')

  // The relays of whoever invited the user that accept newcomers are chosen, in sight, to remove.
  const invitedBy = (preview: InvitePreviewView | undefined): void => {
    setInviter(preview)
    if (preview == null) return
    setOwn(list => [...list, ...preview.openRelays.filter(r => !list.some(o => o.address === r.address) && !selected.includes(r.address))])
  }
  const invite = useInviter(arrivedWith, () => { onInvite?.(undefined) }, invitedBy)

  const create = useAction(async () => {
    const request: { name: string, relays: string[], passphrase?: string, joinCodes?: Array<{ address: string, code: string }> } = { name: name.trim(), relays }
    const joinCodes = joinCodesFor(relays, codes)
    if (joinCodes.length > 0) request.joinCodes = joinCodes
    if (needsPassphrase) request.passphrase = passphrase
    onJoin?.(inviter != null ? arrivedWith : undefined)
    await client.setup(request)
  })

  /** The protection fields' error, if any. */
  const checkProtection = (): string | undefined => {
    if (needsPassphrase && passphrase.length < 8) return 'The passphrase needs at least 8 characters'
    if (needsPassphrase && passphrase !== confirm) return 'The passphrases differ'
    return undefined
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const invalid = name.trim() === ''
      ? 'Enter a name'
      : checkProtection() ?? (missingCode != null ? `Enter the join code of ${missingCode.operator ?? missingCode.address}, or remove that relay` : undefined)
    setFormError(invalid)
    if (invalid == null) void create.run()
  }

  const protection = (
    <KeyProtection
      status={status} usePassphrase={usePassphrase} onUsePassphrase={setUsePassphrase} needsPassphrase={needsPassphrase}
      passphrase={passphrase} onPassphrase={setPassphrase} confirm={confirm} onConfirm={setConfirm}
    />
  )
  if (restoring) {
    return (
      <RestoreBackup
        onCancel={() => { setRestoring(false) }} protection={protection}
        passphrase={needsPassphrase ? passphrase : undefined} check={checkProtection}
      />
    )
  }
  const error = formError ?? create.error
  return (
    <main className='onboarding'>
      <h1>Welcome to Sotto</h1>
      <p>A private messenger with no central servers. Your identity is a key on this device: no phone number, no e-mail.</p>
      {inviter != null && <InvitedBy name={inviter.name} onDrop={() => { onInvite?.(undefined) }} />}
      <form onSubmit={submit} aria-label='Create your identity'>
        <label htmlFor={nameId}>Your name</label>
        <input id={nameId} value={name} onChange={e => { setName(e.target.value) }} maxLength={64} autoComplete='off' required />
        <p className='hint'>Shown to the people you invite.</p>
        {protection}
        {inviter == null && <InviteEntry onInvite={link => { onInvite?.(link) }} reading={invite.reading} error={invite.error} />}
        <RelayChoice
          offered={status.defaultRelays} selected={selected} onSelected={setSelected} own={own} onOwn={setOwn} codes={codes} onCodes={setCodes}
          {...(inviter != null ? { inviter } : {})} {...(relayLink != null ? { relayLink } : {})}
        />
        {error != null && <p role='alert' className='error'>{error}</p>}
        <button type='submit' className='primary' disabled={create.busy}>{create.busy ? 'Creating…' : inviter != null ? `Create my identity and add ${cleanName(inviter.name)}` : 'Create my identity'}</button>
      </form>
      <p>Moving from another computer? <button type='button' onClick={() => { setRestoring(true) }}>Restore from a backup</button></p>
    </main>
  )
}
