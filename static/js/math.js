// Typesets the mathematics the server marked up in notes and descriptions (class "math" inside
// ".markdown"), on page load and in every fragment htmx swaps in. Without JavaScript the reader
// sees the TeX source. Only the marked elements are typeset, so a literal "\(" a reader
// escaped in ordinary text stays text.
(function () {
  "use strict";
  var options = {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false }
    ],
    throwOnError: false,
    trust: false
  };

  function typeset(root) {
    if (typeof window.renderMathInElement !== "function" || !root.querySelectorAll) return;
    var scopes = root.matches && root.matches(".markdown") ? [root] : root.querySelectorAll(".markdown");
    Array.prototype.forEach.call(scopes, function (scope) {
      Array.prototype.forEach.call(scope.querySelectorAll(".math"), function (element) {
        if (element.hasAttribute("data-typeset")) return;  // htmx:load also fires for the page
        element.setAttribute("data-typeset", "");
        window.renderMathInElement(element, options);
      });
    });
  }

  typeset(document);
  document.addEventListener("htmx:load", function (event) { typeset(event.target); });
})();
