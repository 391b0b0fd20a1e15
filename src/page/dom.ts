/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Attributes and text of an element made by `h`. */
export interface Props {
  className?: string
  /** Set as `textContent`: translator text is never parsed as HTML. */
  text?: string
  title?: string
  attrs?: Record<string, string>
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>
}

/**
 * Make an element. Text is set with `textContent` and attributes with `setAttribute`:
 * nothing here parses HTML.
 *
 * @param tag Tag name.
 * @param props Class, text, title, attributes and event listeners.
 * @param children Child nodes; strings become text nodes.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: ReadonlyArray<Node | string | undefined | false> = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (props.className) element.className = props.className
  if (props.text !== undefined) element.textContent = props.text
  if (props.title !== undefined) element.title = props.title
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value)
  for (const [name, listener] of Object.entries(props.on ?? {})) if (listener) element.addEventListener(name, listener)
  for (const child of children) if (child !== undefined && child !== false) element.append(typeof child === 'string' ? document.createTextNode(child) : child)
  return element
}
