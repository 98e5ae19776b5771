/* A table wider than the screen scrolls inside its box (Material wraps it in .md-typeset__scrollwrap):
   a keyboard user must be able to reach and scroll that box too (WCAG 2.1.1; axe-core
   scrollable-region-focusable), so the box takes focus and is named after its table. */
(function () {
  "use strict";

  function focusable() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
      if (box.hasAttribute("tabindex")) return;
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格（可横向滚动）");
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(focusable);
  } else {
    document.addEventListener("DOMContentLoaded", focusable);
  }
})();
