// htmx glue (CSP forbids inline script).
(function () {
  "use strict";
  // htmx requests carry Django's CSRF token from <meta name="csrf-token">.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) event.detail.headers["X-CSRFToken"] = meta.content;
  });

  // A post htmx could not complete (refused, an expired token, no answer) is sent again as
  // the plain form post it stands for: the page that answers says what happened, as it
  // does without JavaScript, instead of the click doing nothing.
  function postPlainly(event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post" || !config.formData) return;
    var form = document.createElement("form");
    form.method = "post";
    form.action = config.path;
    form.hidden = true;
    config.formData.forEach(function (value, name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  document.addEventListener("htmx:responseError", postPlainly);
  document.addEventListener("htmx:sendError", postPlainly);
})();
