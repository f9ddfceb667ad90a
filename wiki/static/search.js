// Search page: a ticked or unticked facet value applies at once. (The place finder's map is
// placemap.js.)
(function () {
  "use strict";

  var form = document.querySelector("form.search-page");
  if (form) {
    // On a narrow screen the filters live in a drawer: ticks are collected there and applied
    // together ("Apply filters"), so the page does not reload to the top after every tick.
    var narrow = window.matchMedia("(max-width: 900px)");
    var filters = form.querySelector(".filters");
    var toggle = form.querySelector(".filters-toggle");
    var close = form.querySelector(".js-drawer-close");
    form.classList.add("has-drawer");
    if (toggle) { toggle.hidden = false; }
    if (close) { close.hidden = false; }

    function drawer(open) {
      filters.classList.toggle("filters--open", open);
      if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
      document.body.classList.toggle("drawer-open", open);
      if (open) { filters.querySelector("summary, input").focus(); } else if (toggle) { toggle.focus(); }
    }

    function layout() {
      form.querySelectorAll(".js-hide").forEach(function (el) {
        el.hidden = !narrow.matches;  // wide screens apply each tick at once
      });
    }
    layout();
    if (narrow.addEventListener) { narrow.addEventListener("change", layout); }
    if (toggle) { toggle.addEventListener("click", function () { drawer(!filters.classList.contains("filters--open")); }); }
    if (close) { close.addEventListener("click", function () { drawer(false); }); }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && filters.classList.contains("filters--open")) { drawer(false); }
    });
    form.querySelectorAll(".filters input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (narrow.matches) { return; }
        var page = form.querySelector("input[name=page]");
        if (page) { page.remove(); }
        form.submit();
      });
    });
  }
})();
