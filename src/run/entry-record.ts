import type {AnalysisRef} from '../cache/analysis-cache.js'
import type {RecordForm} from '../cache/state-cache.js'
import type {Message} from '../report/message.js'
import type {Entry} from './replay.js'
import type {Pending, Stage} from './stage.js'

/**
 * An entry as the record keeps it: one flat list per post, so that reading the record of
 * 10,000 posts makes a few objects per post, not the dozen a nested object parses to (the
 * record is read by every run).
 *
 * 0. the state;
 * 1. what the signature is of (`0`: no signature);
 * 2. the signature's stamps (`0`: none);
 * 3. where the analysis is cached, `[key, pack, offset, length]` (`0`: nowhere);
 * 4. the findings (`0`: none);
 * 5. the pending files, `[path, absent]` pairs flattened (`0`: none);
 * 6. whether the stage refused the post (1 or 0);
 * 7. the stage's facts, as its `facts` form records them.
 */
type Recorded = [string, string | 0, number[] | 0, [string, string, number, number] | 0, Message[] | 0, Array<string | number> | 0, 0 | 1, unknown]

/**
 * How a stage's entries are recorded (`readOutcomes`, `writeOutcomes`). Decoding is strict:
 * anything but what `encode` writes is damage, and the entry a miss, so a replay never
 * reports fewer findings than the run it replays.
 *
 * @param stage The stage whose entries these are.
 */
export function entryForm<Facts>(stage: Pick<Stage<Facts>, 'facts'>): RecordForm<Entry<Facts>> {
  return {
    encode: (entry): Recorded => {
      const {state, signature, analysis, result} = entry
      const pending = result.pending.flatMap((item) => [item.path, item.absent ? 1 : 0])
      return [
        state,
        signature ? signature.of : 0,
        signature ? signature.stamps : 0,
        analysis ? [analysis.key, analysis.pack, analysis.offset, analysis.length] : 0,
        result.messages.length > 0 ? result.messages : 0,
        pending.length > 0 ? pending : 0,
        result.refused ? 1 : 0,
        stage.facts.encode(result.facts)
      ]
    },
    decode: (_post, recorded) => {
      // Indexed, not destructured: this runs 10,000 times on code not yet optimized.
      if (!Array.isArray(recorded) || recorded.length !== 8) return undefined
      const state: unknown = recorded[0]
      const of: unknown = recorded[1]
      const stamps: unknown = recorded[2]
      const analysis: unknown = recorded[3]
      const messages: unknown = recorded[4]
      const pending: unknown = recorded[5]
      const refused: unknown = recorded[6]
      if (typeof state !== 'string' || state === '' || (refused !== 0 && refused !== 1)) return undefined
      if (of === 0 ? stamps !== 0 : typeof of !== 'string' || !numbers(stamps)) return undefined
      if (analysis !== 0 && !analysisRef(analysis)) return undefined
      if (messages !== 0 && !(Array.isArray(messages) && messages.length > 0 && messages.every(isMessage))) return undefined
      const pendingList = pending === 0 ? [] : pendingOf(pending)
      if (!pendingList) return undefined
      const facts = stage.facts.decode(recorded[7])
      if (facts === undefined) return undefined
      const entry: Entry<Facts> = {state, result: {messages: messages === 0 ? [] : (messages as Message[]), pending: pendingList, refused: refused === 1, facts}}
      if (of !== 0) entry.signature = {of: of as string, stamps: stamps as number[]}
      if (analysis !== 0) {
        const ref = analysis as [string, string, number, number]
        entry.analysis = {key: ref[0], pack: ref[1], offset: ref[2], length: ref[3]} satisfies AnalysisRef
      }
      return entry
    }
  }
}

function numbers(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false
  for (let index = 0; index < value.length; index++) if (typeof value[index] !== 'number') return false
  return true
}

function analysisRef(value: unknown): boolean {
  return Array.isArray(value) && value.length === 4 && typeof value[0] === 'string' && typeof value[1] === 'string' && typeof value[2] === 'number' && typeof value[3] === 'number'
}

function pendingOf(value: unknown): Pending[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length % 2 !== 0) return undefined
  const pending: Pending[] = []
  for (let index = 0; index < value.length; index += 2) {
    const path: unknown = value[index]
    const absent: unknown = value[index + 1]
    if (typeof path !== 'string' || (absent !== 0 && absent !== 1)) return undefined
    pending.push({path, absent: absent === 1})
  }
  return pending
}

function isMessage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 7) return false
  const item = value as Record<string, unknown>
  return typeof item['file'] === 'string' && typeof item['line'] === 'number' && typeof item['column'] === 'number' && (item['severity'] === 'error' || item['severity'] === 'warning' || item['severity'] === 'info') && typeof item['ruleId'] === 'string' && typeof item['reason'] === 'string' && typeof item['fix'] === 'string'
}
