/** The element with `id`, checked to be of the expected kind: the page's HTML and its script must agree. */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The page has no ${kind.name} #${id}.`);
  return element;
}

/** The value of the checked radio button in a group. */
export function checkedValue(form: HTMLFormElement, name: string): string {
  const group = form.elements.namedItem(name);
  if (!(group instanceof RadioNodeList)) throw new Error(`The form has no radio group "${name}".`);
  return group.value;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const created = Object.assign(document.createElement(tag), properties);
  created.append(...children);
  return created;
}
