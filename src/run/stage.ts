import type {VerifiedEditions} from '../cache/verified.js'
import type {Config} from '../config.js'
import type {Message} from '../report/message.js'
import type {CompiledPattern} from '../segment/protect.js'
import type {AnalyzedPost} from '../project/analyze.js'
import type {PostPaths} from '../project/paths.js'

/** A file of a post, by its role. */
export type PostFile = 'source' | 'sourceCatalog' | 'targetCatalog' | 'archive' | 'lock' | 'edition'

/** A post's files as read, by role (`undefined`: absent). */
export type PostContents = {[Role in PostFile]?: string | undefined}

/** What a stage works from: one post's files, read once for every stage of the command, and its analysis. */
export interface StageInput {
  paths: PostPaths
  /** The post's files (at least the stage's `reads`); `source` is always there. */
  files: PostContents & {source: string}
  analysis: AnalyzedPost
  config: Config
  patterns: readonly CompiledPattern[]
  /** Editions already verified by any command (none without a cache). */
  verified: VerifiedEditions | undefined
}

/** A file a stage planned that is not on disk as planned. */
export interface Pending {
  path: string
  /** Not there at all (rather than different). */
  absent: boolean
}

/**
 * What a stage found for one post: plain data, the same whether it was worked out now or
 * replayed from the record, and whichever command ran the stage.
 */
export interface StageResult<Facts = unknown> {
  /** Findings, each on a file with a place. */
  messages: Message[]
  /**
   * The files the stage planned that differ from the disk: before a write, what the write
   * would change (what `check` reports as outdated); after it, what could not be written.
   */
  pending: Pending[]
  /** The stage left the post alone (a file it would rewrite could not be read safely): nothing planned, retried by every writing run. */
  refused: boolean
  /** The stage's own figures (counts, stale keys…). */
  facts: Facts
}

/** What a stage plans for one post: its result, and the files it would write. */
export interface StagePlan<Facts> {
  result: Omit<StageResult<Facts>, 'pending'>
  /** Path → the content the stage would give it. */
  outputs: ReadonlyMap<string, string>
  /** The `verifiedKey` of an edition parsed and verified while planning, for every later command to trust. */
  verified?: string | undefined
}

/** How a stage's facts are kept in the record: plain JSON data, and back (`undefined`: damaged, a miss). */
export interface FactsForm<Facts> {
  encode(facts: Facts): unknown
  decode(recorded: unknown): Facts | undefined
}

/**
 * One step of a command over a post, pure: from the files it reads and the post's analysis
 * to its findings and the files it would write. The runner (`runCommand`) reads, caches,
 * writes and replays; a stage only plans. Its results are recorded under its `name`, so
 * whichever command ran it last, with the same files, answers for every command.
 */
export interface Stage<Facts = unknown> {
  name: string
  /** Every file its result depends on, the files it writes included, in a fixed order. */
  reads: readonly PostFile[]
  plan(input: StageInput): StagePlan<Facts>
  facts: FactsForm<Facts>
}
