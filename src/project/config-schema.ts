/** JSON Schema of `ponte.config.json` (also written to `ponte.schema.json` for editor completion). */
export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Ponte configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: {type: 'string'},
    sourceLanguage: {type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]+)*$', description: 'Source language folder under content/ and locales/ (default "it").'},
    targetLanguage: {type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]+)*$', description: 'Target language folder (default "en").'},
    frontMatterFields: {type: 'array', items: {type: 'string', minLength: 1}, uniqueItems: true, description: 'Top-level front matter fields whose string values are translated (default title, description, summary, excerpt).'},
    protectedPatterns: {
      type: 'array',
      description: 'Site-generator syntax kept as interpolations, tried in order. Replaces the defaults.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'pattern'],
        properties: {
          name: {type: 'string', pattern: '^[a-z]+$', description: 'Interpolation name, numbered per segment: {{name1}}.'},
          pattern: {type: 'string', minLength: 1, description: 'JavaScript regular expression, matched with flags gmu.'}
        }
      }
    },
    threshold: {type: 'number', minimum: 0, maximum: 100, description: 'Minimum percentage of translated segments for build to write an edition (default 0).'},
    stalePolicy: {enum: ['use', 'fallback'], description: 'Stale translations: "use" them (default) or "fallback" to the Italian.'},
    math: {type: 'boolean', description: 'Whether the site renders $…$ and $$…$$ as math (KaTeX, MathJax): then Ponte protects math as the site sees it. Off by default, as in GFM, Hugo and kramdown: a $ is text.'},
    glossary: {type: 'string', minLength: 1, description: 'The glossary (Italian term → English term), a path relative to the project root, inside it (default "locales/glossary.json"). A configured file that does not exist is an error; at the default path, no file means no glossary.'}
  }
} as const
