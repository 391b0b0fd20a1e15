import {cacheDirOf} from '../cache/cache-dir.js'
import type {Project} from '../project/project.js'
import {indexMemory, type MemoryIndex} from './match-memory.js'
import {readMemory, type ProjectMemory} from './read-memory.js'
import {loadSuggestions, saveSuggestions} from './suggestion-cache.js'

/** A project's memory opened for lookups: its pairs and segments, the index, and a way to keep the lookups. */
export interface OpenMemory {
  memory: ProjectMemory
  index: MemoryIndex
  /** Keep this run's lookups in the cache for the next run. */
  save: () => Promise<void>
}

/**
 * Open a project's translation memory: read it (from the cache where the catalogs did not
 * change), and seed its lookups with the last run's when the memory is the same.
 *
 * @param project The opened project.
 * @param options `cache: false` to read everything and keep nothing; `env` for `PONTE_CACHE_DIR`.
 */
export async function openMemory(project: Project, options: {cache?: boolean; env?: Readonly<Record<string, string | undefined>>} = {}): Promise<OpenMemory> {
  const cacheDir = options.cache === false ? undefined : cacheDirOf(project.root, options.env ?? process.env)
  const memory = await readMemory(project, cacheDir)
  const index = indexMemory(memory.pairs)
  const cache = loadSuggestions(cacheDir, index)
  return {memory, index, save: () => saveSuggestions(cache, index)}
}
