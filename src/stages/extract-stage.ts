import {planExtract, type KeyCounts} from '../project/extract-post.js'
import type {FactsForm, Stage} from '../run/stage.js'

const keyCountFields = ['segments', 'same', 'edited', 'restored', 'added', 'archived'] as const

/** Extract's figures, recorded as six numbers. */
const keyCountsForm: FactsForm<KeyCounts> = {
  encode: (counts) => keyCountFields.map((field) => counts[field]),
  decode: (recorded) => {
    if (!Array.isArray(recorded) || recorded.length !== keyCountFields.length || !recorded.every((item) => typeof item === 'number')) return undefined
    return Object.fromEntries(keyCountFields.map((field, index) => [field, recorded[index] as number])) as unknown as KeyCounts
  }
}

/**
 * Extract: the post's segments into `locales/<it>/<ns>.json`, the English catalog merged
 * without losing a value (removed keys to `<ns>_old.json`), and the lock updated.
 */
export const extractStage: Stage<KeyCounts> = {
  name: 'extract',
  reads: ['source', 'sourceCatalog', 'targetCatalog', 'archive', 'lock'],
  plan: ({paths, files, config, patterns, analysis}) => {
    const plan = planExtract(paths, files.source, files, config, patterns, analysis)
    return {result: {messages: plan.messages, refused: plan.refused, facts: plan.counts}, outputs: plan.refused ? new Map() : plan.files}
  },
  facts: keyCountsForm
}
