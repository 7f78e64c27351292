// Typesets the maths of built HTML pages once, at build time, so that no page needs MathJax's
// JavaScript or fonts: `node build/typeset_math.js PAGE.html ...` rewrites each page in place
// (`-` instead of the pages: their paths come on the standard input, one a line).
//
// MathJax 3 (npm's mathjax-full, build/package-lock.json) reads each page as the browser would:
// TeX between $...$ or \(...\) inline and $$...$$ or \[...\] displayed, \$ for a dollar sign,
// nothing inside pre, code, script or textarea. Each formula becomes an SVG (the glyphs' paths
// once per page, at the top of its body, referenced by every formula that uses them) with MathML beside it for screen
// readers and copying. A TeX error fails the build, naming the page and the formula.
"use strict";

const fs = require("fs");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
require("mathjax-full/js/input/tex/base/BaseConfiguration.js");
require("mathjax-full/js/input/tex/ams/AmsConfiguration.js");
require("mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js");
require("mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

function typeset(file) {
  const errors = [];
  const tex = new TeX({
    // No "noundefined": an unknown macro is an error (the build fails), not red text.
    packages: ["base", "ams", "newcommand", "boldsymbol"],
    inlineMath: [["$", "$"], ["\\(", "\\)"]],
    displayMath: [["$$", "$$"], ["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "ams",
    formatError: (jax, error) => {
      errors.push(`${error.message} in: ${jax.latex}`);
      return jax.formatError(error);
    },
  });
  const svg = new SVG({ fontCache: "global" });
  const page = mathjax.document(fs.readFileSync(file, "utf8"), { InputJax: tex, OutputJax: svg });
  page.render();
  if (errors.length) {
    throw new Error(`${file}: TeX errors:\n  ${errors.join("\n  ")}`);
  }
  const count = Array.from(page.math).length;
  if (count) {
    // The glyphs first in the body, so that formulas show as the page arrives, not at its end.
    const body = adaptor.body(page.document);
    const glyphs = adaptor.tags(body, "svg").find((svg) => adaptor.getAttribute(svg, "id") === SVG.FONTCACHEID);
    if (glyphs) {
      adaptor.remove(glyphs);
      adaptor.insert(glyphs, adaptor.firstChild(body));
    }
    const head = adaptor.head(page.document);
    const style = adaptor.node("style", { id: "MJX-SVG-styles" });
    adaptor.append(style, adaptor.text(adaptor.textContent(svg.styleSheet(page))));
    adaptor.append(head, style);
  }
  const doctype = adaptor.doctype(page.document);
  const out = (doctype ? `${doctype}\n` : "") + adaptor.outerHTML(adaptor.root(page.document));
  fs.writeFileSync(file, out + "\n");
  return count;
}

function run(file) {
  try {
    console.log(`${typeset(file)} formulas: ${file}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

// `node build/typeset_math.js -` reads the pages' paths from its input, one a line, and
// typesets each as it comes (build/build.py sends each page as soon as it is written).
async function main(args) {
  if (args.length === 1 && args[0] === "-") {
    const lines = require("readline").createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line) run(line);
    }
  } else {
    args.forEach(run);
  }
}

main(process.argv.slice(2));
