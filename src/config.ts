/** A pattern of site-generator syntax that Markdown reads as text but translators must not touch. */
export interface ProtectedPattern {
  /** Name of the interpolation translators see, numbered per segment: `{{liquid1}}`. */
  name: string
  /** A JavaScript regular expression source; matched with the flags `gmu`. */
  pattern: string
}

/** What a stale translation (its Italian changed since it was translated) becomes in the edition. */
export type StalePolicy = 'use' | 'fallback'

/** Ponte's configuration, as read from `ponte.config.json` and completed with defaults. */
export interface Config {
  /** Source language: the folder under `content/` and `locales/`. */
  sourceLanguage: string
  /** Target language. */
  targetLanguage: string
  /** Top-level front matter fields whose string values are translated. */
  frontMatterFields: string[]
  /** Site-generator syntax kept as atoms, tried in order (an earlier match wins). */
  protectedPatterns: ProtectedPattern[]
  /** Minimum share of translated segments (0–100) for `build` to write an edition. */
  threshold: number
  /** Whether stale translations are used in the edition or replaced by the Italian. */
  stalePolicy: StalePolicy
  /** Whether the site renders `$…$` and `$$…$$` as math (KaTeX, MathJax); off, `$` is text. */
  math: boolean
  /** The glossary's path under the project root (`check` reads it; absent at the default path: no glossary). */
  glossary: string
}

/** The defaults: zero configuration works for Jekyll, Hugo, kramdown and VitePress sites. */
export const defaultConfig: Config = {
  sourceLanguage: 'it',
  targetLanguage: 'en',
  frontMatterFields: ['title', 'description', 'summary', 'excerpt'],
  protectedPatterns: [
    // Brackets of a link whose destination is site-generator syntax, which Markdown reads as
    // text (`[la guida]({{< ref "guida.md" >}})`): kept, so the generator still sees a link.
    {name: 'link', pattern: String.raw`\[(?=[^\]\n]*\]\(\{[{%])|\]\(\{[{%][\s\S]*?[%}]\}[^)\s]*\)`},
    // Hugo shortcodes: `{{< figure src="x" >}}`, `{{% note %}}`.
    {name: 'shortcode', pattern: String.raw`\{\{[<%][\s\S]*?[%>]\}\}`},
    // Liquid tags and output: `{% include x.html %}`, `{{ page.title }}`.
    {name: 'liquid', pattern: String.raw`\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}`},
    // kramdown inline attribute lists and extensions: `{: .note}`, `{::comment}`.
    {name: 'attr', pattern: String.raw`\{:[^}\n]*\}`},
    // Heading ids and attributes (Pandoc, PHP Markdown Extra, VitePress): `{#intro .big}`.
    {name: 'id', pattern: String.raw`\{#[^}\n]*\}`},
    // VitePress / markdown-it containers: the whole marker line `::: tip Titolo`.
    {name: 'container', pattern: String.raw`^[ \t]*:::.*$`}
  ],
  threshold: 0,
  stalePolicy: 'use',
  math: false,
  glossary: 'locales/glossary.json'
}
