// htmx requests carry Django's CSRF token from <meta name="csrf-token"> (CSP forbids inline script).
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) event.detail.headers["X-CSRFToken"] = meta.content;
  });
})();
