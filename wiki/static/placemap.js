// The place finder's map (the carbon calculator's "find my zone from a point" and /place):
// a click picks the point (it fills the latitude and longitude fields, which stay the input
// for keyboards); the sheets found near the point are drawn with a link each.
(function () {
  "use strict";
  var script = document.currentScript;
  var countries = script && script.dataset.countries;
  var box = document.querySelector("[data-place-map]");
  if (!box || !window.L) return;
  var data = box.dataset;
  var lat = document.getElementById(data.latInput);
  var lon = document.getElementById(data.lonInput);
  var country = document.getElementById("place-country");
  box.hidden = false;
  var hint = box.parentNode.querySelector(".place-map__hint");
  if (hint) hint.hidden = false;

  var map = L.map(box, {worldCopyJump: true, minZoom: 1, keyboard: false}).setView([10, 10], 1);
  box.querySelectorAll("a, button, [tabindex]").forEach(function (control) {
    control.setAttribute("tabindex", "-1");
  });
  map.zoomControl.getContainer().querySelector(".leaflet-control-zoom-in").title = data.labelZoomIn;
  map.zoomControl.getContainer().querySelector(".leaflet-control-zoom-out").title = data.labelZoomOut;
  if (countries) {
    fetch(countries).then(function (r) { return r.json(); }).then(function (g) {
      L.geoJSON(g, {interactive: false, className: "map-country"}).addTo(map).bringToBack();
    });
  }

  var chosen = L.marker([0, 0], {icon: L.divIcon({className: "map-dot map-dot--pin", iconSize: [18, 18]}),
                                 keyboard: false, interactive: false});
  function place() {
    var y = parseFloat(lat.value), x = parseFloat(lon.value);
    if (isNaN(x) || isNaN(y) || Math.abs(y) > 90 || Math.abs(x) > 180) {
      chosen.remove();
      return null;
    }
    chosen.setLatLng([y, x]).addTo(map);
    return [y, x];
  }
  function choose(y, x) {
    lat.value = y.toFixed(2);
    lon.value = x.toFixed(2);
    if (country) country.value = "";
    place();
  }
  map.on("click", function (event) {
    var ll = event.latlng.wrap();
    choose(ll.lat, ll.lng);
  });
  lat.addEventListener("input", place);
  lon.addEventListener("input", place);

  var found = [];
  try { found = JSON.parse(data.found || "[]"); } catch (e) { found = []; }
  var bounds = L.latLngBounds([]);
  found.forEach(function (sheet) {
    var marker = L.marker([sheet.lat, sheet.lon], {
      icon: L.divIcon({className: "map-dot map-dot--practice map-dot--c1", iconSize: [16, 16]}),
      keyboard: false, title: sheet.name});
    marker.bindPopup(function () {
      var root = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = sheet.name;
      var detail = document.createElement("p");
      detail.textContent = sheet.km + " " + data.labelKm;
      var link = document.createElement("a");
      link.href = sheet.href;
      link.textContent = data.labelOpen + " →";
      root.appendChild(title);
      root.appendChild(detail);
      root.appendChild(link);
      return root;
    });
    marker.addTo(map);
    bounds.extend([sheet.lat, sheet.lon]);
  });
  var point = place();
  if (point) {
    bounds.extend(point);
    map.fitBounds(bounds.pad(0.3), {maxZoom: 6});
  }

  var locate = document.querySelector(".js-locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (where) {
        choose(where.coords.latitude, where.coords.longitude);
      });
    });
  }
  box.dataset.ready = "true";
})();
