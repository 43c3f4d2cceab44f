// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Prints, after a run, each journey's result and duration per project (and, for journeys that
 * count them, the user actions each person needed), says why a project did not run, and writes
 * the same as `test-results/journeys.json` and `journeys.md`. Ends with one plain line,
 * `e2e: N passed, N failed, N skipped`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter'

/** Text without terminal colour codes. */
function plain (text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

interface Row {
  project: string
  spec: string
  title: string
  status: string
  durationMs: number
  note: string
  /** User actions each person needed, when the journey counts them. */
  actions?: string
}

/** The journeys reporter. */
export default class JourneysReporter implements Reporter {
  private readonly rows = new Map<TestCase, Row>()
  private outputDir = 'test-results'
  private started = Date.now()

  onBegin (config: FullConfig, _suite: Suite): void {
    this.outputDir = config.projects[0]?.outputDir ?? this.outputDir
    this.started = Date.now()
  }

  onTestEnd (test: TestCase, result: TestResult): void {
    const fixme = test.annotations.find(a => a.type === 'fixme')
    const skip = result.annotations.find(a => a.type === 'skip') ?? test.annotations.find(a => a.type === 'skip')
    const status = fixme != null ? 'fixme (not run)' : result.status
    const actions = [...test.annotations, ...result.annotations].find(a => a.type === 'user-actions')?.description
    this.rows.set(test, {
      ...(actions != null ? { actions } : {}),
      project: test.parent.project()?.name ?? '',
      spec: basename(test.location.file),
      title: test.title,
      status,
      durationMs: result.duration,
      note: fixme?.description ?? skip?.description ?? plain(result.error?.message?.split('\n')[0] ?? '')
    })
  }

  onEnd (result: FullResult): void {
    const rows = [...this.rows.values()]
    const lines: string[] = ['', `Journeys (${((Date.now() - this.started) / 1000).toFixed(1)} s in all, ${result.status}):`]
    const table: string[] = ['| project | spec | test | result | duration |', '| --- | --- | --- | --- | --- |']
    for (const project of [...new Set(rows.map(r => r.project))]) {
      const mine = rows.filter(r => r.project === project)
      const notRun = mine.every(r => r.status === 'skipped' && r.note.startsWith(`${project} project not run`))
      if (notRun && mine.length > 0) {
        lines.push(`  ${project}: not run (${mine.length} tests): ${mine[0]!.note.replace(`${project} project not run: `, '')}`)
        table.push(`| ${project} | (all) | ${mine.length} tests | not run: ${mine[0]!.note} | |`)
        continue
      }
      lines.push(`  ${project}:`)
      for (const r of mine) {
        const seconds = (r.durationMs / 1000).toFixed(1)
        lines.push(`    ${r.status.padEnd(15)} ${seconds.padStart(6)} s  ${r.spec} › ${r.title}${r.status !== 'passed' && r.note !== '' ? `  (${r.note})` : ''}`)
        table.push(`| ${project} | ${r.spec} | ${r.title}${r.actions != null ? ` (user actions: ${r.actions})` : ''} | ${r.status} | ${seconds} s |`)
        if (r.actions != null) lines.push(`${' '.repeat(29)}user actions: ${r.actions}`)
      }
    }
    const passed = rows.filter(r => r.status === 'passed').length
    const failed = rows.filter(r => r.status === 'failed' || r.status === 'timedOut' || r.status === 'interrupted').length
    const skipped = rows.length - passed - failed
    lines.push(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`)
    process.stdout.write(lines.join('\n') + '\n')
    try {
      mkdirSync(this.outputDir, { recursive: true })
      writeFileSync(join(this.outputDir, 'journeys.json'), JSON.stringify({ status: result.status, rows }, null, 2) + '\n')
      writeFileSync(join(this.outputDir, 'journeys.md'), table.join('\n') + '\n')
    } catch {
      // The report on stdout is what counts.
    }
  }

  printsToStdio (): boolean {
    return true
  }
}
