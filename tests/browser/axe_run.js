// The suite's axe run (tests/browser/conftest.py, `axe_violations`): the ids of the WCAG 2.1 A/AA rules the document
// as it is now violates; null where it has no axe-core yet.
//
// Every rule but colour contrast runs on the whole document. Colour contrast, axe's slowest rule by far (it finds what
// lies behind every text: three quarters of a run), is a property of a text's style, not of the page it is on: its
// colour, size, weight and shadow, and the colours, background images and opacity of it and of every element around
// it, at this width and with these stylesheets. The run keys each text by exactly that (`styleKey`) and checks only
// the texts whose key this worker has not seen settled (`contrasted`): on the first pages nearly everything, later
// only what is new. A key is settled, and comes back in `contrasted`, when axe found none of its texts violating; one
// that violates stays unsettled and is checked wherever it shows up again. (What axe cannot decide, such as a text on
// a picture, fails no test, here or in a full run: asking again would tell nothing new.)
async ({ options, sheetsChecked, contrast, checked, contrasted }) => {
  if (typeof axe === "undefined") return null;
  const hrefs = [...document.styleSheets].map((sheet) => sheet.href);
  const sheets = hrefs.includes(null) ? null : hrefs.join(" ");
  const again = sheets !== null && checked.includes(sheets);
  const results = await axe.run(document, again ? sheetsChecked : options);
  const violations = results.violations.map((rule) => rule.id);
  const answer = (settled) => ({ violations, sheets: again ? null : sheets, contrasted: settled });

  const chains = new Map();
  const chain = (element) => {
    if (!element) return "";
    let found = chains.get(element);
    if (found === undefined) {
      const style = getComputedStyle(element);
      const classes = [...element.classList].sort().join(".");
      found = `${chain(element.parentElement)}>${element.localName}.${classes}` +
        `[${style.color};${style.backgroundColor};${style.backgroundImage};${style.opacity};${style.mixBlendMode}]`;
      chains.set(element, found);
    }
    return found;
  };
  // A short digest of a long key (cyrb53): a page has hundreds of texts, a worker's run thousands of keys.
  const digest = (text) => {
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  // Whether it is drawn at all (a hidden text settles as not applicable, and must not settle a shown one's key), and
  // the states axe treats apart.
  const styleKey = (element) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const shown = element.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
      box.width > 1 && box.height > 1;
    return digest(
      `${innerWidth} ${hrefs.join(" ")} ${chain(element)} ${style.fontSize} ${style.fontWeight} ${style.textShadow} ` +
        `${element.type || ""} ${shown} ${element.matches(":disabled")}`,
    );
  };
  const isText = (element) =>
    element.matches("input:not([type=hidden]), select, textarea") ||
    [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());

  const known = new Set(contrasted);
  const fresh = new Map();
  for (const element of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(element.tagName) || !isText(element)) continue;
    const key = styleKey(element);
    if (known.has(key)) continue;
    if (!fresh.has(key)) fresh.set(key, []);
    fresh.get(key).push(element);
  }
  if (!fresh.size) return answer([]);

  const found = await axe.run({ include: [...fresh.values()].flat() }, contrast);
  if (found.violations.length) violations.push("color-contrast");
  const violating = new Set(found.violations.flatMap((rule) => rule.nodes.map((node) => node.element)));
  return answer([...fresh].filter(([, elements]) => !elements.some((e) => violating.has(e))).map(([key]) => key));
};
