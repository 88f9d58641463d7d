// Progressive enhancement of the layout: the theme toggle and the tag filter box. Every page
// works without this file: the theme then follows the system, and every tag is listed.
(function () {
  "use strict";
  var root = document.documentElement;

  // The reader's chosen theme; without one (or without this file) the system's scheme applies.
  try {
    var chosen = window.localStorage.getItem("dlt-theme");
    if (chosen === "dark" || chosen === "light") root.dataset.theme = chosen;
  } catch (error) {
    // Storage refused (private mode): the system's scheme applies.
  }

  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function currentTheme() {
    return root.dataset.theme || (systemDark() ? "dark" : "light");
  }

  function setUpThemeToggle(button) {
    function label() {
      // The button names the theme it switches to, in the page's language.
      var dark = currentTheme() === "dark";
      button.textContent = dark ? button.dataset.labelLight : button.dataset.labelDark;
      button.setAttribute("aria-pressed", dark ? "true" : "false");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try {
        window.localStorage.setItem("dlt-theme", next);
      } catch (error) {
        // Not remembered, but applied for this page.
      }
      label();
    });
  }

  function setUpTagFilter(box) {
    var list = document.getElementById(box.getAttribute("aria-controls"));
    if (!list) return;
    box.closest(".tag-filter").hidden = false;
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      list.querySelectorAll("[data-tag-name]").forEach(function (item) {
        var checked = item.querySelector("input:checked");
        item.hidden = Boolean(wanted) && !checked && item.dataset.tagName.indexOf(wanted) === -1;
      });
    });
  }

  document.querySelectorAll(".theme-toggle").forEach(setUpThemeToggle);
  document.querySelectorAll("[data-tag-filter]").forEach(setUpTagFilter);
})();
