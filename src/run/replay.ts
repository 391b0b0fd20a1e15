import type {AnalysisRef} from '../cache/analysis-cache.js'
import {matches, type Signature, type Stamps} from '../cache/stamps.js'
import {stateHash} from '../cache/state-cache.js'
import type {PostContents, PostFile, Stage, StageResult} from './stage.js'

/** A stage's result for one post as the record keeps it, with what decides whether it may be replayed. */
export interface Entry<Facts = unknown> {
  /** A hash of the stage, Ponte's code, the configuration and the contents of every file the stage reads. */
  state: string
  /** The stamps (inode, size, change time) of those files when `state` was taken: while they match, so does the state, unread. */
  signature?: Signature | undefined
  /** Where the post's analysis is cached, for the next stage that must plan. */
  analysis?: AnalysisRef | undefined
  result: StageResult<Facts>
}

/**
 * What a stage's state and signature are taken under besides its files: the stage, Ponte's
 * code and the configuration.
 *
 * @param stage The stage's name.
 * @param version Ponte's code version.
 * @param configHash A hash of the configuration.
 */
export function signedAs(stage: string, version: string, configHash: string): string {
  return `${stage}|${version}|${configHash}`
}

/**
 * The state of a stage for one post: a hash of what its result depends on.
 *
 * @param stage The stage.
 * @param signed `signedAs` of the stage.
 * @param files The post's files as read.
 */
export function stateOf(stage: Pick<Stage, 'reads'>, signed: string, files: PostContents): string {
  return stateHash([signed, ...stage.reads.map((role: PostFile) => files[role])])
}

/**
 * Whether the stamps taken now are those recorded with the entry (none racy): nothing the
 * stage reads changed, so it need not even be read.
 *
 * @param entry The recorded entry.
 * @param signed `signedAs` of the stage.
 * @param stamps The post's stamps, in the order of the command's files.
 * @param pick Where the stage's files stand among them (`undefined`: all, in order).
 */
export function unchangedByStamps(entry: Entry | undefined, signed: string, stamps: Stamps, pick: readonly number[] | undefined): boolean {
  return entry !== undefined && matches(entry.signature, signed, stamps, pick)
}

/**
 * Whether a stage's recorded result answers for a post now. The one place that decides,
 * for every stage of every command:
 *
 * - the files the stage reads are those it was recorded from (`unchanged`: by their
 *   stamps, `unchangedByStamps`, or by their contents, `stateOf` equal to `entry.state`);
 * - and, for a command that writes, nothing is left to write: no planned file differs from
 *   the disk and the stage did not refuse the post (a command that only reads replays
 *   those too: what differs is what it reports).
 *
 * @param entry The recorded entry, if any.
 * @param write Whether the command writes what the stage plans.
 * @param unchanged Whether the stage's files are unchanged since the entry was recorded.
 */
export function mayReplay(entry: Entry | undefined, write: boolean, unchanged: boolean): entry is Entry {
  if (entry === undefined || !unchanged) return false
  return !write || (!entry.result.refused && entry.result.pending.length === 0)
}
