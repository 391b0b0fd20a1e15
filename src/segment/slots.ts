/** Where a link or image title sits inside the source bytes of its closing part. */
export interface TitleSlot {
  /** Bytes of the closing part before the title's interior, e.g. `](/a "`. */
  before: string
  /** Bytes after the title's interior, e.g. `")`. */
  after: string
  /** The title delimiter: `"`, `'` or `(`. */
  quote: string
  /** Id of the title's own segment. */
  segment: number
}

/** What a tag or interpolation of a segment stands for in the source. */
export type Slot =
  | {
      kind: 'wrap'
      name: string
      type: 'emphasis' | 'strong' | 'delete' | 'link'
      /** Source bytes before the content: `*`, `__`, `[`. */
      open: string
      /** Source bytes after the content: `*`, `](https://x "t")`, `][ref]`. */
      close: string
      title?: TitleSlot
    }
  | {kind: 'image'; name: string; open: string; close: string; alt: string; title?: TitleSlot}
  | {kind: 'atom'; name: string; raw: string}
  | {kind: 'break'; name: 'br'; raw: string; /** Container prefix of the next line (`> `, indentation). */ prefix: string}
