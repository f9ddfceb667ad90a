// Search page: a ticked or unticked facet value applies at once. Place finder: a click on the
// world map (an equirectangular projection) or "use my location" fills latitude and longitude.
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

  var map = document.querySelector(".world-map");
  if (!map) { return; }
  var image = map.querySelector("img");
  var marker = map.querySelector(".world-map__marker");
  var lat = document.getElementById(map.dataset.latInput);
  var lon = document.getElementById(map.dataset.lonInput);
  var country = document.getElementById("place-country");

  function place() {
    var y = parseFloat(lat.value), x = parseFloat(lon.value);
    if (isNaN(x) || isNaN(y) || Math.abs(y) > 90 || Math.abs(x) > 180) { marker.hidden = true; return; }
    marker.style.left = ((x + 180) / 360 * 100) + "%";
    marker.style.top = ((90 - y) / 180 * 100) + "%";
    marker.hidden = false;
  }

  function choose(y, x) {
    lat.value = y.toFixed(2);
    lon.value = x.toFixed(2);
    if (country) { country.value = ""; }
    place();
  }

  image.addEventListener("click", function (event) {
    var box = image.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width * 360 - 180;
    var y = 90 - (event.clientY - box.top) / box.height * 180;
    choose(y, x);
  });
  lat.addEventListener("input", place);
  lon.addEventListener("input", place);
  place();

  var locate = document.querySelector(".js-locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (where) {
        choose(where.coords.latitude, where.coords.longitude);
      });
    });
  }
})();
