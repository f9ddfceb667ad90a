// Place points by clicking a map: each [data-point-picker] has a textarea of
// "latitude, longitude" lines (the fallback, and what the form sends) and a map kept in step.
(function () {
  "use strict";
  if (!window.L) return;
  var script = document.currentScript;
  var countries = script && script.dataset.countries;
  var LINE = /^\s*(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)\s*$/;

  function parse(text) {
    return text.split("\n").map(function (line) {
      var m = LINE.exec(line);
      return m ? [parseFloat(m[1].replace(",", ".")), parseFloat(m[2].replace(",", "."))] : null;
    }).filter(function (p) { return p && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180; });
  }

  document.querySelectorAll("[data-point-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-picker-input]");
    var box = picker.querySelector("[data-picker-map]");
    box.hidden = false;
    // The map is a pointer shortcut (aria-hidden); the textarea is the input for keyboards
    // and screen readers, so nothing inside the map takes focus.
    var map = L.map(box, {worldCopyJump: true, minZoom: 1, keyboard: false}).setView([10, 10], 1);
    box.querySelectorAll("a, button, [tabindex]").forEach(function (control) {
      control.setAttribute("tabindex", "-1");
    });
    if (countries) {
      fetch(countries).then(function (r) { return r.json(); }).then(function (g) {
        L.geoJSON(g, {interactive: false, className: "map-country"}).addTo(map).bringToBack();
      });
    }
    var pins = L.layerGroup().addTo(map);

    function draw() {
      pins.clearLayers();
      parse(input.value).forEach(function (p, index) {
        var marker = L.marker(p, {icon: L.divIcon({className: "map-dot map-dot--pin",
                                                   iconSize: [16, 16]}), keyboard: false});
        marker.on("click", function () {
          var kept = parse(input.value).filter(function (_p, i) { return i !== index; });
          write(kept);
        });
        pins.addLayer(marker);
      });
    }
    function write(points) {
      input.value = points.map(function (p) {
        return p[0].toFixed(4).replace(/\.?0+$/, "") + ", " + p[1].toFixed(4).replace(/\.?0+$/, "");
      }).join("\n");
      draw();
    }
    map.on("click", function (event) {
      var ll = event.latlng.wrap();
      write(parse(input.value).concat([[ll.lat, ll.lng]]));
    });
    input.addEventListener("input", draw);
    draw();
    var points = parse(input.value);
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.5), {maxZoom: 6});
    box.dataset.ready = "true";
  });
})();
