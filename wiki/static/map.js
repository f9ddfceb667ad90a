// The interactive map at /map: Natural Earth country outlines (offline), an optional tile
// layer, and three switchable layers read from /api/v1/map/features as GeoJSON. Popups are
// built with textContent (names come from users). The lists beside the map hold the same items.
(function () {
  "use strict";
  var box = document.querySelector("[data-interactive-map]");
  if (!box || !window.L) return;
  var data = box.dataset;
  var PALETTE = 10;

  var map = L.map(box, {worldCopyJump: true, minZoom: 1, maxZoom: 14, tap: true})
    .setView([10, 10], 2);
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, {attribution: data.tileAttribution, maxZoom: 18}).addTo(map);
  }
  fetch(data.countries).then(function (r) { return r.json(); }).then(function (geojson) {
    // On a canvas (no SVG element per country); the colours of .map-country in wiki.css.
    map.createPane("countries").style.zIndex = 350;  // above tiles, under every marker
    var outlines = L.geoJSON(geojson, {interactive: false, renderer: L.canvas({pane: "countries"}),
                                       style: {fillColor: "#f6f3ea", fillOpacity: 1,
                                               color: "#a9a290", weight: 1}});
    outlines.addTo(map);
  });

  function labels(name) {
    try { return JSON.parse(data[name] || "{}"); } catch (e) { return {}; }
  }
  var groupLabels = labels("groupLabels");
  var standingLabels = labels("standingLabels");
  var zoneLabels = labels("zoneLabels");
  var collegeLabels = labels("collegeLabels");

  function line(parts) {  // the popup's second line: what is known, joined
    return parts.filter(function (part) { return part; }).join(" · ");
  }
  var groupCodes = Object.keys(groupLabels);

  function colourClass(group) {
    var index = groupCodes.indexOf(group);
    return "map-dot--c" + (index < 0 ? 0 : index % PALETTE);
  }

  function popup(title, detail, href, photo) {
    var root = document.createElement("div");
    if (photo) {  // the sheet's first photo, its smallest copy (issue 16)
      var img = document.createElement("img");
      img.className = "map-popup__photo";
      img.src = "/uploads/" + encodeURIComponent(photo.name);
      img.alt = photo.alt;
      img.width = 160;
      root.appendChild(img);
    }
    var heading = document.createElement("strong");
    heading.textContent = title;
    root.appendChild(heading);
    if (detail) {
      var line = document.createElement("p");
      line.textContent = detail;
      root.appendChild(line);
    }
    var link = document.createElement("a");
    link.href = href;
    link.textContent = data.labelOpen + " →";
    root.appendChild(link);
    return root;
  }

  var dotIcons = {};
  function dot(className) {  // one icon object per class, shared by every marker
    if (!dotIcons[className]) {
      dotIcons[className] = L.divIcon({className: "map-dot " + className, iconSize: [16, 16],
                                       html: ""});
    }
    return dotIcons[className];
  }

  // Tens of thousands of markers: clustered, added in one call per layer and in chunks
  // (the page stays responsive meanwhile); popups are built only when opened.
  var pending = [];
  function cluster(className) {
    var done;
    pending.push(new Promise(function (resolve) { done = resolve; }));
    return L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 100, chunkDelay: 10,
      chunkProgress: function (processed, total) { if (processed === total) done(); },
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, maxClusterRadius: 50,
      removeOutsideVisibleBounds: true,
      // Clusters for zooms 1-7 only (half the levels to compute): closer in, few markers
      // are on screen and each is shown as itself.
      disableClusteringAtZoom: 8,
      iconCreateFunction: function (group) {
        var count = document.createElement("span");
        count.textContent = group.getChildCount();
        var inner = document.createElement("div");
        inner.appendChild(count);
        return L.divIcon({html: inner, className: "marker-cluster " + className,
                          iconSize: L.point(36, 36)});
      }
    });
  }

  function load(layer) {
    var url = data["url" + layer.charAt(0).toUpperCase() + layer.slice(1)];
    return fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (collection) {
        performance.mark("map-fetched-" + layer);  // for bench/map_bench.py
        return collection.features;
      });
  }

  function latLng(c) { return [c[1], c[0]]; }

  function ringCentre(ring) {
    var lat = 0, lng = 0, n = ring.length - 1;
    for (var i = 0; i < n; i++) { lng += ring[i][0]; lat += ring[i][1]; }
    return [lat / n, lng / n];
  }

  var practices = cluster("marker-cluster--practices");
  var organizations = cluster("marker-cluster--organizations");
  var measurePoints = cluster("marker-cluster--measures");
  var areas = L.featureGroup();
  var measures = L.layerGroup([measurePoints, areas]);
  var canvas = L.canvas({padding: 0.2});

  // One click handler per layer (not a popup bound to each of 40,000 markers): the marker
  // carries its properties, the popup is built when it is opened.
  function popupsOn(group, make) {
    group.on("click", function (event) {
      var target = event.layer || event.propagatedFrom;
      if (!target || !target.item) return;
      L.popup().setLatLng(target.getLatLng ? target.getLatLng() : event.latlng)
        .setContent(make(target.item)).openOn(map);
    });
  }

  function practicePopup(p) {
    return popup(p.name, line([groupLabels[p.group], zoneLabels[p.zone]]),
                 "/practices/" + encodeURIComponent(p.slug),
                 p.photo && {name: p.photo, alt: p.photo_alt});
  }
  function organizationPopup(p) {
    return popup(p.name, line([standingLabels[p.standing]].concat(
                   (p.colleges || []).map(function (slug) { return collegeLabels[slug]; }))),
                 "/organizations/" + encodeURIComponent(p.slug));
  }
  function measurePopup(p) {
    return popup(p.name, p.area_ha ? p.area_ha + " " + data.labelHa : "", "/measures/" + p.id);
  }

  var south = 90, west = 180, north = -90, east = -180;
  function extend(where) {
    if (where[0] < south) south = where[0];
    if (where[0] > north) north = where[0];
    if (where[1] < west) west = where[1];
    if (where[1] > east) east = where[1];
  }

  function marker(where, icon, p) {
    extend(where);
    var made = L.marker(where, {icon: icon, title: p.name, alt: p.name, keyboard: false});
    made.item = p;
    return made;
  }

  function practiceMarker(f) {
    var p = f.properties;
    return marker(latLng(f.geometry.coordinates),
                  dot("map-dot--practice " + colourClass(p.group)), p);
  }

  function organizationMarker(f) {
    var p = f.properties;
    return marker(latLng(f.geometry.coordinates),
                  dot("map-dot--organization map-dot--" + (p.standing || "none")), p);
  }

  function measureMarker(f, where) {
    var p = f.properties;
    extend(where);
    var radius = Math.max(5, Math.min(30, 3 * Math.sqrt(Math.sqrt(p.area_ha || 1))));
    var made = L.circleMarker(where, {radius: radius, renderer: canvas, color: "#7a3e00",
                                      weight: 2, fillColor: "#e39a2d", fillOpacity: 0.45});
    made.item = p;
    return made;
  }

  function addMeasures(features) {
    var points = [];
    features.forEach(function (f) {
      if (f.geometry.type === "Polygon") {
        var ring = f.geometry.coordinates[0];
        // Drawn on the canvas, where CSS classes do not reach: the colours are given here.
        var area = L.polygon(ring.map(latLng), {renderer: canvas, weight: 2, color: "#7a3e00",
                                                fillColor: "#e39a2d", fillOpacity: 0.35});
        area.item = f.properties;
        areas.addLayer(area);
        // The area's centre in the clusters too: a small area stays findable when zoomed out.
        points.push(measureMarker(f, ringCentre(ring)));
      } else {
        points.push(measureMarker(f, latLng(f.geometry.coordinates)));
      }
    });
    measurePoints.addLayers(points, true);
  }

  var loads = [
    load("practices").then(function (features) {
      practices.addLayers(features.map(practiceMarker), true);  // no event per marker
    }),
    load("organizations").then(function (features) {
      organizations.addLayers(features.map(organizationMarker), true);
    }),
    load("measures").then(addMeasures)
  ];

  popupsOn(practices, practicePopup);
  popupsOn(organizations, organizationPopup);
  popupsOn(measurePoints, measurePopup);
  popupsOn(areas, measurePopup);

  var overlays = {};
  overlays[data.labelPractices] = practices;
  overlays[data.labelOrganizations] = organizations;
  overlays[data.labelMeasures] = measures;
  practices.addTo(map);
  organizations.addTo(map);
  measures.addTo(map);
  var layers = L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  layers.getContainer().setAttribute("aria-label", data.labelLayers);
  var zoom = map.zoomControl.getContainer();
  zoom.querySelector(".leaflet-control-zoom-in").setAttribute("title", data.labelZoomIn);
  zoom.querySelector(".leaflet-control-zoom-in").setAttribute("aria-label", data.labelZoomIn);
  zoom.querySelector(".leaflet-control-zoom-out").setAttribute("title", data.labelZoomOut);
  zoom.querySelector(".leaflet-control-zoom-out").setAttribute("aria-label", data.labelZoomOut);

  // Drawn: every layer's markers are in their clusters (chunked loading has finished).
  Promise.all(loads).then(function () {
    if (south <= north) map.fitBounds(L.latLngBounds([south, west], [north, east]).pad(0.2),
                                      {maxZoom: 6});
    return Promise.all(pending);
  }).then(function () {
    performance.mark("map-drawn");
    box.dataset.loaded = "true";
  });
})();
