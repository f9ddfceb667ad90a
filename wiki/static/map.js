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
    var outlines = L.geoJSON(geojson, {interactive: false, className: "map-country"});
    outlines.addTo(map);
    outlines.bringToBack();
  });

  function labels(name) {
    try { return JSON.parse(data[name] || "{}"); } catch (e) { return {}; }
  }
  var groupLabels = labels("groupLabels");
  var standingLabels = labels("standingLabels");
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

  function dot(className, title) {
    return L.divIcon({className: "map-dot " + className, iconSize: [16, 16], html: ""});
  }

  function cluster(className) {
    return L.markerClusterGroup({
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, maxClusterRadius: 40,
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

  function load(layer, params, build) {
    var url = data.features + "?layer=" + layer + (params ? "&" + params : "");
    return fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (collection) { collection.features.forEach(build); });
  }

  function latLng(feature) {
    var c = feature.geometry.coordinates;
    return [c[1], c[0]];
  }

  var practices = cluster("marker-cluster--practices");
  var organizations = cluster("marker-cluster--organizations");
  var measures = L.featureGroup();
  var bounds = L.latLngBounds([]);

  function add(group, marker, where) {
    group.addLayer(marker);
    bounds.extend(where);
  }

  var loads = [
    load("practices", data.practiceParams, function (f) {
      var p = f.properties;
      var group = (p.practice_groups || [])[0] || "";
      var marker = L.marker(latLng(f), {icon: dot("map-dot--practice " + colourClass(group)),
                                         title: p.name, alt: p.name, keyboard: false});
      marker.bindPopup(popup(p.name, (p.practice_groups || []).map(function (code) {
        return groupLabels[code] || code; }).join(", "), "/practices/" + encodeURIComponent(p.slug),
        p.photo && {name: p.photo, alt: p.photo_alt}));
      add(practices, marker, latLng(f));
    }),
    load("organizations", data.orgParams, function (f) {
      var p = f.properties;
      var marker = L.marker(latLng(f), {icon: dot("map-dot--organization map-dot--" + (p.standing || "none")),
                                         title: p.name, alt: p.name, keyboard: false});
      marker.bindPopup(popup(p.name, standingLabels[p.standing] || "",
                             "/organizations/" + encodeURIComponent(p.slug)));
      add(organizations, marker, latLng(f));
    }),
    load("measures", "", function (f) {
      var p = f.properties;
      var radius = Math.max(5, Math.min(30, 3 * Math.sqrt(Math.sqrt(p.area_ha || 1))));
      var circle = L.circleMarker(latLng(f), {radius: radius, className: "map-measure",
                                              color: "#7a3e00", weight: 2, fillColor: "#e39a2d",
                                              fillOpacity: 0.45});
      circle.bindPopup(popup(p.name, p.area_ha ? p.area_ha + " " + data.labelHa : "",
                             "/measures/" + p.id));
      add(measures, circle, latLng(f));
    })
  ];

  var overlays = {};
  overlays[data.labelPractices] = practices;
  overlays[data.labelOrganizations] = organizations;
  overlays[data.labelMeasures] = measures;
  practices.addTo(map);
  organizations.addTo(map);
  measures.addTo(map);
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  Promise.all(loads).then(function () {
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), {maxZoom: 6});
    box.dataset.loaded = "true";
  });
})();
