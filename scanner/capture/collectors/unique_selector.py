"""A CSS selector that names exactly one element, for evidence that is stored and compared later.

The short structural selector of ``accessibility_dom.SELECTOR_JS`` (at most five steps up, or up to
an id) is kept whenever it is unique, so findings keep their fingerprints; it is not unique when
two parts of a page share markup (header and footer navigation from one template), or when the
element is a child of ``<body>`` (the short selector of a skip link there is just ``a``). Then the
same path grows one ancestor at a time, ``body`` and ``html`` included, until it is unique
(``body > a``, ``footer > div > nav > ul > li:nth-of-type(1) > a``) or reaches an ancestor whose
id is unique. Each candidate is verified with ``querySelectorAll`` in the element's own root (the
document or an open shadow root, whose host's selector comes first, joined by ``" >> "`` as in
the axe findings); when none is unique the selector is ``""``.

Bounded for hostile pages: at most ``MAX_DEPTH`` ancestors and ``MAX_SHADOW`` nested shadow roots.
"""

from __future__ import annotations

from scanner.capture.collectors.accessibility_dom import SELECTOR_JS

MAX_DEPTH = 64
MAX_SHADOW = 8

# An expression: a function (element) -> selector. Composed in Python, not eval'ed in the page:
# a Content-Security-Policy may forbid eval.
UNIQUE_SELECTOR_JS = (
    """((short) => {
  const onlyMatch = (root, text, element) => {
    try {
      const found = root.querySelectorAll(text);
      return found.length === 1 && found[0] === element;
    } catch (error) {
      return false;
    }
  };
  // The structural selector grown one ancestor at a time (body and html included) until it is
  // unique, or up to an ancestor whose id is unique: the shortest such path.
  const grow = (element, root) => {
    const parts = [];
    let node = element;
    for (let depth = 0; node && node.nodeType === 1 && depth < MAX_DEPTH; depth++) {
      if (node.id && onlyMatch(root, '#' + CSS.escape(node.id), node)) {
        parts.unshift('#' + CSS.escape(node.id));
        return parts.join(' > ');
      }
      let part = CSS.escape(node.localName);
      const parent = node.parentElement;
      if (parent) {
        let position = 0, count = 0;
        for (const child of parent.children) {
          if (child.localName !== node.localName) continue;
          count++;
          if (child === node) position = count;
        }
        if (count > 1) part += ':nth-of-type(' + position + ')';
      }
      parts.unshift(part);
      if (onlyMatch(root, parts.join(' > '), element)) return parts.join(' > ');
      node = parent;
    }
    return '';
  };
  const inRoot = (element, root) => {
    const brief = short(element);
    if (brief && onlyMatch(root, brief, element)) return brief;
    return grow(element, root);
  };
  return (element) => {
    const parts = [];
    let node = element;
    for (let level = 0; node && level < MAX_SHADOW; level++) {
      const root = node.getRootNode();
      const part = inRoot(node, root);
      if (!part) return '';
      parts.unshift(part);
      if (!(root instanceof ShadowRoot)) return parts.join(' >> ');
      node = root.host;
    }
    return '';
  };
})(SHORT)""".replace("SHORT", SELECTOR_JS)
    .replace("MAX_DEPTH", str(MAX_DEPTH))
    .replace("MAX_SHADOW", str(MAX_SHADOW))
)
