// Place points by clicking a map: each [data-point-picker] has a textarea of
// "latitude, longitude" lines (the fallback, and what the form sends) and a map kept in step.
(function () {
  "use strict";
  if (!window.L) return;
  var script = document.currentScript;
  var countries = script && script.dataset.countries;
  var LINE = /^\s*(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)\s*$/;

  function pairs(text) {
    return text.split("\n").map(function (line) {
      var m = LINE.exec(line);
      return m ? [parseFloat(m[1].replace(",", ".")), parseFloat(m[2].replace(",", "."))] : null;
    }).filter(function (p) { return p; });
  }

  function parse(text) {  // "latitude, longitude" lines
    return pairs(text).filter(function (p) { return Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180; });
  }

  // The map is a pointer shortcut (aria-hidden); the textarea is the input for keyboards
  // and screen readers, so nothing inside the map takes focus.
  function pickerMap(box) {
    box.hidden = false;
    var map = L.map(box, {worldCopyJump: true, minZoom: 1, keyboard: false}).setView([10, 10], 1);
    box.querySelectorAll("a, button, [tabindex]").forEach(function (control) {
      control.setAttribute("tabindex", "-1");
    });
    if (countries) {
      fetch(countries).then(function (r) { return r.json(); }).then(function (g) {
        L.geoJSON(g, {interactive: false, className: "map-country"}).addTo(map).bringToBack();
      });
    }
    return map;
  }

  function pin(latLng, onClick) {
    var marker = L.marker(latLng, {icon: L.divIcon({className: "map-dot map-dot--pin",
                                                    iconSize: [16, 16]}), keyboard: false});
    marker.on("click", onClick);
    return marker;
  }

  function number(value) { return value.toFixed(5).replace(/\.?0+$/, ""); }

  // An area: "longitude, latitude" lines (or GeoJSON, which the server reads too) -> [lat, lng].
  function corners(text) {
    var trimmed = text.trim();
    if (trimmed.charAt(0) === "{" || trimmed.charAt(0) === "[") {
      try {
        var value = JSON.parse(trimmed);
        if (value.type === "Feature") value = value.geometry || {};
        var ring = (value.coordinates || value)[0];
        if (ring && ring.length && typeof ring[0] === "number") ring = value;  // bare pairs
        return (ring || []).map(function (p) { return [p[1], p[0]]; }).filter(function (p, i, all) {
          return !(i === all.length - 1 && i > 0 && p[0] === all[0][0] && p[1] === all[0][1]);
        });
      } catch (e) { return []; }
    }
    return pairs(text).filter(function (p) { return Math.abs(p[1]) <= 90 && Math.abs(p[0]) <= 180; })
      .map(function (p) { return [p[1], p[0]]; });
  }

  document.querySelectorAll("[data-area-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-picker-input]");
    var box = picker.querySelector("[data-picker-map]");
    var map = pickerMap(box);
    var shape = L.layerGroup().addTo(map);

    function write(points) {
      input.value = points.map(function (p) { return number(p[1]) + ", " + number(p[0]); })
        .join("\n");
      draw();
    }
    function draw() {
      shape.clearLayers();
      var points = corners(input.value);
      if (points.length >= 3) {
        shape.addLayer(L.polygon(points, {className: "map-area", interactive: false}));
      } else if (points.length === 2) {
        shape.addLayer(L.polyline(points, {className: "map-area", interactive: false}));
      }
      points.forEach(function (p, index) {
        shape.addLayer(pin(p, function () {
          write(corners(input.value).filter(function (_p, i) { return i !== index; }));
        }));
      });
      box.dataset.corners = points.length;
    }
    map.on("click", function (event) {
      var ll = event.latlng.wrap();
      write(corners(input.value).concat([[ll.lat, ll.lng]]));
    });
    input.addEventListener("input", draw);
    draw();
    var points = corners(input.value);
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.5), {maxZoom: 12});
    box.dataset.ready = "true";
  });

  document.querySelectorAll("[data-point-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-picker-input]");
    var box = picker.querySelector("[data-picker-map]");
    var map = pickerMap(box);
    var pins = L.layerGroup().addTo(map);

    function draw() {
      pins.clearLayers();
      parse(input.value).forEach(function (p, index) {
        pins.addLayer(pin(p, function () {
          write(parse(input.value).filter(function (_p, i) { return i !== index; }));
        }));
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
