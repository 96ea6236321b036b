/**
 * The only way the panel makes DOM: elements with attributes set one by one and children appended as
 * text nodes. No innerHTML anywhere, so a rule's title or value can never become markup or script.
 */
export type Child = Node | string | number | undefined | null | false;
type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    // Event handlers are attached with addEventListener, never as attributes.
    if (/^on/i.test(name)) throw new Error(`refusing attribute ${name}`);
    if (value === undefined || value === false) continue;
    el.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function icon(name: string, label?: string): HTMLElement {
  const el = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });
  return el;
}

export function on<K extends keyof HTMLElementEventMap>(el: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void): HTMLElement {
  el.addEventListener(type, handler);
  return el;
}

export function button(label: Child[], attrs: Attrs, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', ...attrs }, ...label);
  el.addEventListener('click', onClick);
  return el;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}
