/**
 * The two DOM helpers MedSeal Reader's page is built with: an element with
 * its properties and children (text always as text nodes, never markup), and
 * a wait until the browser has painted what was just set.
 */
type Properties<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'style'>> & {
  role?: string;
};

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Properties<K> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { role, ...rest } = properties;
  Object.assign(node, rest);
  if (role) node.setAttribute('role', role);
  node.append(...children);
  return node;
}

/** Resolves once the browser has painted (before a long synchronous step such as Argon2id). */
export function paint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
