/** A tag or interpolation of a catalog value: `<em1>` opens `em1`, `<br1/>` is void, `{{code1}}` a placeholder. */
const codePattern = /<(\/?)([a-z]+\d*)(\/?)>|\{\{\s*([^{}]*?)\s*\}\}/g

/**
 * The tags and interpolations of a value in order of appearance, as tokens: `em1` for an
 * opening tag, `br1/` for a void one, `{{code1}}` for an interpolation (closing tags are
 * implied by their opening ones).
 *
 * @param value A catalog value.
 */
export function tagsOf(value: string): string[] {
  const tokens: string[] = []
  for (const match of value.matchAll(codePattern)) {
    if (match[4] !== undefined) tokens.push(`{{${match[4]}}}`)
    else if (!match[1]) tokens.push(match[3] ? `${match[2] ?? ''}/` : (match[2] ?? ''))
  }
  return tokens
}

/**
 * A value's text without its tags and interpolations, lowercased, spaces collapsed: what
 * fuzzy matching compares.
 *
 * @param value A catalog value.
 */
export function stripTags(value: string): string {
  return value.replace(codePattern, ' ').toLowerCase().replace(/\s+/g, ' ').trim()
}

/**
 * Carry a translation's tags over to another segment: the match's Italian and the segment's
 * Italian must have the same kinds of tags in the same order (`em`, `strong`, `{{code}}`…,
 * numbers aside); each tag of the English is renamed to the segment's tag in its place.
 *
 * @param english The match's English value.
 * @param from The match's Italian value.
 * @param to The segment's Italian value.
 * @returns The English with the segment's tags, or `undefined` when the tags do not agree.
 */
export function mapTags(english: string, from: string, to: string): string | undefined {
  const source = tagsOf(from)
  const target = tagsOf(to)
  if (source.length !== target.length) return undefined
  const renamed = new Map<string, string>()
  for (let index = 0; index < source.length; index++) {
    const a = source[index] ?? ''
    const b = target[index] ?? ''
    if (kindOf(a) !== kindOf(b)) return undefined
    renamed.set(bare(a), bare(b))
  }
  let agrees = true
  const mapped = english.replace(codePattern, (whole, slash: string | undefined, name: string | undefined, selfClosing: string | undefined, placeholder: string | undefined) => {
    const to = renamed.get(placeholder !== undefined ? `{{${placeholder}}}` : (name ?? ''))
    if (to === undefined) {
      agrees = false
      return whole
    }
    return placeholder !== undefined ? to : `<${slash ?? ''}${to}${selfClosing ?? ''}>`
  })
  return agrees ? mapped : undefined
}

/** A token's name without the void marker. */
function bare(token: string): string {
  return token.endsWith('/') ? token.slice(0, -1) : token
}

/** What kind of code a token is, numbers aside: `em`, `br/`, `{{code}}`. */
function kindOf(token: string): string {
  return token.replace(/\d+(?=\/?$|\}\}$)/, '')
}
