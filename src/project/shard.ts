import {hash} from 'node:crypto'
import {UsageError} from './project.js'

/** One part of a project's posts, as a CI matrix job runs it (`--shard 2/4`). */
export interface Shard {
  /** 1-based. */
  index: number
  count: number
}

/**
 * Parse `--shard i/n` (the convention of Vitest and Playwright).
 *
 * @param text The flag's value.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n, such as --shard 2/4`)
  return {index, count}
}

/**
 * Whether a post belongs to a shard: by a hash of its path, so each post is in exactly one
 * shard, and adding or removing a post moves no other post to another shard.
 *
 * @param post The post's path under `content/<source>/`.
 * @param shard The shard.
 */
export function inShard(post: string, shard: Shard): boolean {
  if (shard.count === 1) return true
  return hash('sha1', post, 'buffer').readUInt32BE(0) % shard.count === shard.index - 1
}
