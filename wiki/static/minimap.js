// A small map of an item's points (sheet, organisation, measure): country outlines and pins.
(function () {
  "use strict";
  if (!window.L) return;
  var script = document.currentScript;
  var countries = script && script.dataset.countries;
  document.querySelectorAll("[data-mini-map]").forEach(function (box) {
    var points, area;
    try {
      points = JSON.parse(box.dataset.points || "[]");
      area = JSON.parse(box.dataset.area || "null");
    } catch (e) { return; }
    if (!points.length && !area) return;
    // A picture (role="img" on the box): nothing inside may take focus or clicks; the
    // sheet's text lists the same points.
    var map = L.map(box, {scrollWheelZoom: false, attributionControl: false, keyboard: false,
                          zoomControl: false, dragging: false, doubleClickZoom: false,
                          touchZoom: false, boxZoom: false});
    if (countries) {
      fetch(countries).then(function (r) { return r.json(); }).then(function (g) {
        L.geoJSON(g, {interactive: false, className: "map-country"}).addTo(map).bringToBack();
      });
    }
    var group = L.featureGroup(points.map(function (p) {
      return L.marker([p[1], p[0]], {icon: L.divIcon({className: "map-dot map-dot--pin",
                                                      iconSize: [16, 16]}), keyboard: false,
                                      interactive: false});
    }));
    if (area) {
      group.addLayer(L.polygon(area[0].map(function (p) { return [p[1], p[0]]; }),
                               {className: "map-area", interactive: false}));
    }
    group.addTo(map);
    map.fitBounds(group.getBounds().pad(0.5), {maxZoom: area ? 12 : 6});
  });
})();
