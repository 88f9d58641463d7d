// Typesets the mathematics the server marked up in notes and descriptions (class "math" inside
// ".markdown"), on page load and in every fragment htmx swaps in. Without JavaScript the reader
// sees the TeX source. Only the marked elements are typeset, so a literal "\(" a reader
// escaped in ordinary text stays text.
//
// TeX that KaTeX cannot typeset (a syntax error, or "\def\a{\a}\a" expanding forever) stays
// as its source text, marked with the class "math-error". KaTeX's own error rendering
// (throwOnError: false) sets a style attribute, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  function optionsFor(element) {
    return {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false }
      ],
      // auto-render catches the parse error, keeps the source as text and calls us.
      throwOnError: true,
      errorCallback: function () { element.classList.add("math-error"); },
      trust: false,
      maxExpand: 1000
    };
  }

  function typeset(root) {
    if (typeof window.renderMathInElement !== "function" || !root.querySelectorAll) return;
    var scopes = root.matches && root.matches(".markdown") ? [root] : root.querySelectorAll(".markdown");
    Array.prototype.forEach.call(scopes, function (scope) {
      Array.prototype.forEach.call(scope.querySelectorAll(".math"), function (element) {
        if (element.hasAttribute("data-typeset")) return;  // htmx:load also fires for the page
        element.setAttribute("data-typeset", "");
        window.renderMathInElement(element, optionsFor(element));
      });
    });
  }

  typeset(document);
  document.addEventListener("htmx:load", function (event) { typeset(event.target); });
})();
