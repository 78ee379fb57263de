/** Counts elements with a tag name, looking inside shadow roots too (Rete's Lit nodes and minimap live there). */
export function deepCount(root: ParentNode, tag: string): number {
  let n = 0;
  const walk = (el: Element) => {
    if (el.tagName.toLowerCase() === tag) n++;
    if (el.shadowRoot) [...el.shadowRoot.children].forEach(walk);
    [...el.children].forEach(walk);
  };
  [...root.children].forEach(walk);
  return n;
}
