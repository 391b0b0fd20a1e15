import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The static files of the page, built in memory when the server starts (always fresh). */
export interface PageAssets {
  html: string
  previewHtml: string
  script: string
  style: string
  previewStyle: string
}

/** The page's shell: no inline script or style (the CSP forbids both). */
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Ponte · translator page</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<noscript>The translator page needs JavaScript.</noscript>
</body>
</html>
`

/** The preview frame's document: the page fills its body with sanitized HTML. */
const previewHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Preview</title>
<link rel="stylesheet" href="/preview.css">
</head>
<body></body>
</html>
`

/**
 * Bundle the page's TypeScript (`src/page/main.ts`) with esbuild and read its style sheets.
 * The sources are found from this module's place (`src/server/` under tsx, `dist/` in the
 * CLI bundle).
 */
export async function buildPageAssets(): Promise<PageAssets> {
  const folder = pageFolder()
  // Required, not imported: the CLI bundle runs as a script, where import() is not available.
  const {build, stop} = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
  const result = await build({
    entryPoints: [join(folder, 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent'
  })
  // The page is built once: esbuild's service process is not kept for the server's lifetime.
  await stop()
  const script = result.outputFiles[0]?.text ?? ''
  return {html, previewHtml, script, style: readFileSync(join(folder, 'style.css'), 'utf8'), previewStyle: readFileSync(join(folder, 'preview.css'), 'utf8')}
}

function pageFolder(): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(folder, 'src', 'page')
    if (existsSync(join(candidate, 'main.ts'))) return candidate
    if (existsSync(join(folder, 'main.ts')) && existsSync(join(folder, 'style.css'))) return folder
    const sibling = join(dirname(folder), 'page')
    if (existsSync(join(sibling, 'main.ts'))) return sibling
    const parent = dirname(folder)
    if (parent === folder) throw new Error('the translator page sources (src/page/) were not found next to Ponte')
    folder = parent
  }
}
