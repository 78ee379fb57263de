/** Counts elements with a tag name, looking inside shadow roots too (Rete's Lit nodes and minimap live there). */
export function deepCount(root: ParentNode, tag: string): number {
  return deepFindAll(root, tag).length;
}

/** Every element with a tag name, looking inside shadow roots too, in document order. */
export function deepFindAll(root: ParentNode, tag: string): Element[] {
  const found: Element[] = [];
  const walk = (el: Element) => {
    if (el.tagName.toLowerCase() === tag) found.push(el);
    if (el.shadowRoot) [...el.shadowRoot.children].forEach(walk);
    [...el.children].forEach(walk);
  };
  [...root.children].forEach(walk);
  return found;
}
