// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `node core/dist/bench/group-online.bench.js [MEMBERS]` (after `npx tsc -b core`; not part of any
 * test run): a group of MEMBERS running messengers on loopback (default 10; each one the sender's
 * contact, none another's), and the time from `send` until every other member shows the text,
 * against the same text sent one to one to each of them in turn, in the same run.
 */
import { introduce, nextEvent, startMessenger, tempDir } from '../test/messenger/helpers.js'
import type { Group, Messenger } from '../src/messenger/index.js'

const MEMBERS = Number(process.argv[2] ?? 10)
const ROUNDS = 10

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** Resolves once each of `at` shows a message with `text`. */
async function shownByAll (at: Messenger[], text: string): Promise<void> {
  await Promise.all(at.map(async m => nextEvent(m, 'message', msg => msg.text === text)))
}

async function main (): Promise<void> {
  const dirs = await Promise.all(Array.from({ length: MEMBERS }, async () => tempDir('sotto-bench-online-')))
  const all = await Promise.all(dirs.map(async (d, i) => startMessenger(d.dir, i === 0 ? 'Sender' : `Member ${i}`)))
  const [sender, ...others] = all as [Messenger, ...Messenger[]]
  for (const m of others) await introduce(sender, m)
  const group = await sender.createGroup('Online', others.map(m => m.identity().userId))
  const full = (g: Group): boolean => g.id === group.id && g.members.length === MEMBERS
  await Promise.all(all.map(async m => (await m.groups()).some(full) ? undefined : nextEvent(m, 'group', full)))
  // One text first: sessions and the sender key travel with it.
  await Promise.all([shownByAll(others, 'warm-up'), sender.send(group.id, 'warm-up')])

  const viaGroup: number[] = []
  const oneToOne: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    let text = `group ${round}`
    let shown = shownByAll(others, text)
    let began = performance.now()
    await sender.send(group.id, text)
    await shown
    viaGroup.push(performance.now() - began)

    text = `direct ${round}`
    shown = shownByAll(others, text)
    began = performance.now()
    for (const m of others) await sender.send(m.identity().userId, text)
    await shown
    oneToOne.push(performance.now() - began)
  }
  console.log(`a text to ${MEMBERS - 1} online members on loopback, ${ROUNDS} rounds\n`)
  console.log('| way | ms until all show it, median / min |')
  console.log('| --- | --- |')
  console.log(`| group send | ${median(viaGroup).toFixed(1)} / ${Math.min(...viaGroup).toFixed(1)} |`)
  console.log(`| ${MEMBERS - 1} one-to-one sends | ${median(oneToOne).toFixed(1)} / ${Math.min(...oneToOne).toFixed(1)} |`)
  await Promise.all(all.map(async m => m.stop()))
  for (const d of dirs) await d.cleanup()
}

await main()
