import {join, sep} from 'node:path'
import type {Config} from '../config.js'

/** Where every file of one post lives, relative to the project root (with `/`). */
export interface PostPaths {
  /** Path under `content/<source>/`, e.g. `blog/ciao.md`. */
  post: string
  /** The i18next namespace: the post path without `.md`, e.g. `blog/ciao`. */
  ns: string
  source: string
  edition: string
  sourceCatalog: string
  targetCatalog: string
  archive: string
  lock: string
}

/**
 * The paths of one post's files, following i18next's `locales/{{lng}}/{{ns}}.json`.
 *
 * @param post Path of the post under `content/<source>/`, with `/`.
 * @param config Languages.
 */
export function postPaths(post: string, config: Pick<Config, 'sourceLanguage' | 'targetLanguage'>): PostPaths {
  const ns = post.replace(/\.md$/, '')
  const {sourceLanguage: from, targetLanguage: to} = config
  return {
    post,
    ns,
    source: `content/${from}/${post}`,
    edition: `content/${to}/${post}`,
    sourceCatalog: `locales/${from}/${ns}.json`,
    targetCatalog: `locales/${to}/${ns}.json`,
    archive: `locales/${to}/${ns}_old.json`,
    lock: `locales/.ponte/${ns}.lock.json`
  }
}

/**
 * Absolute path of a project file.
 *
 * @param root Absolute project root.
 * @param path Path relative to the root, with `/`.
 */
export function resolvePath(root: string, path: string): string {
  // Project paths are built by Ponte, already normal: on POSIX a concatenation is the
  // join (called for every file of every post, even on a run with nothing to do).
  return sep === '/' && !root.endsWith('/') ? `${root}/${path}` : join(root, ...path.split('/'))
}
