import {cacheDirOf} from '../cache/cache-dir.js'
import type {Project} from '../project/project.js'
import {indexMemory, type MemoryIndex} from './match-memory.js'
import {readMemory, type ProjectMemory, type ReadMemoryOptions} from './read-memory.js'
import {loadSuggestions, saveSuggestions} from './suggestion-cache.js'

/** A project's memory opened for lookups: its pairs and pending segments, the index, and a way to keep the lookups. */
export interface OpenMemory {
  memory: ProjectMemory
  index: MemoryIndex
  /** Keep this run's lookups in the cache for the next run. */
  save: () => Promise<void>
}

/** Options of `openMemory`. */
export interface OpenMemoryOptions extends ReadMemoryOptions {
  /** `false`: read everything and keep nothing (default true). */
  cache?: boolean
  /** For `PONTE_CACHE_DIR`. */
  env?: Readonly<Record<string, string | undefined>>
}

/**
 * Open a project's translation memory: read it (from the cache where the catalogs did not
 * change), and seed its lookups with the last run's when the memory is the same.
 *
 * @param project The opened project.
 * @param options Cache, environment, and which posts' pending segments to keep (default all).
 */
export async function openMemory(project: Project, options: OpenMemoryOptions = {}): Promise<OpenMemory> {
  const cacheDir = options.cache === false ? undefined : cacheDirOf(project.root, options.env ?? process.env)
  const memory = await readMemory(project, cacheDir, options.pendingOf ? {pendingOf: options.pendingOf} : {})
  const index = indexMemory(memory.pairs)
  const cache = loadSuggestions(cacheDir, index)
  return {memory, index, save: () => saveSuggestions(cache, index)}
}
