// Leaflet maps: the small map of a facility or an inspector's home base (#map), a schedule's routes
// (#schedule-map), and an audit's check-in against its facility (#checkin-map, the review page). Data comes from data-* attributes; popups are DOM elements holding text nodes, never
// strings, because Leaflet renders a string popup as markup and names are typed by users.
(function () {
  "use strict";
  // The configured tile server (MAP_TILE_URL, on <body data-map-tiles>), the one the route map uses too.
  var TILES = document.body.dataset.mapTiles;

  function textPopup(text) {
    var div = document.createElement("div");
    div.className = "map-popup";
    div.appendChild(document.createTextNode(text));
    return div;
  }

  function baseMap(box) {
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(TILES, { maxZoom: 19, attribution: "\u00a9 OpenStreetMap" }).addTo(map);
    return map;
  }

  function drawPoint(box) {
    var lat = parseFloat(box.dataset.lat), lon = parseFloat(box.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    var map = baseMap(box).setView([lat, lon], 15);
    L.marker([lat, lon]).addTo(map).bindPopup(textPopup(box.dataset.title || ""));
  }

  function drawRoutes(box) {
    var routes = JSON.parse(box.dataset.routes || "[]");
    var colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
    var byInspector = {}, bounds = [];
    var map = baseMap(box);
    routes.forEach(function (r) {
      if (!(r.inspector in byInspector)) byInspector[r.inspector] = colours[Object.keys(byInspector).length % colours.length];
      var colour = byInspector[r.inspector], line = r.home ? [r.home] : [];
      r.stops.forEach(function (s, k) {
        line.push([s.lat, s.lon]); bounds.push([s.lat, s.lon]);
        var label = r.inspector + " \u00b7 " + r.date + " \u00b7 " + (k + 1) + ". " + s.start + "\u2013" + s.end + " " + s.name;
        L.circleMarker([s.lat, s.lon], { radius: s.must ? 7 : 5, color: colour, fillOpacity: s.must ? 0.9 : 0.4 })
          .addTo(map).bindPopup(textPopup(label));
      });
      if (r.home) { line.push(r.home); bounds.push(r.home); }
      // Lines pass through every stop; they take no clicks, so a click on a stop opens its popup.
      L.polyline(line, { color: colour, weight: 2, opacity: 0.7, interactive: false }).addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] }); else map.setView([48, 67], 5);
  }

  // The facility (a marker) and where the inspector checked in (a circle of the phone's accuracy), joined by
  // a dashed line, so a reviewer sees at once how far apart they are.
  function drawCheckIn(box) {
    var d = box.dataset, bounds = [], map = baseMap(box);
    var facility = [parseFloat(d.facilityLat), parseFloat(d.facilityLon)];
    var checkin = [parseFloat(d.checkinLat), parseFloat(d.checkinLon)];
    var hasFacility = !isNaN(facility[0]) && !isNaN(facility[1]);
    var hasCheckin = !isNaN(checkin[0]) && !isNaN(checkin[1]);
    if (hasFacility) {
      L.marker(facility).addTo(map).bindPopup(textPopup(d.facilityTitle || ""));
      bounds.push(facility);
    }
    if (hasCheckin) {
      var accuracy = parseFloat(d.checkinAccuracy);
      if (!isNaN(accuracy) && accuracy > 0) {
        L.circle(checkin, { radius: accuracy, color: "#b3261e", weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
      }
      L.circleMarker(checkin, { radius: 7, color: "#b3261e", fillOpacity: 0.8 }).addTo(map)
        .bindPopup(textPopup(d.checkinTitle || ""));
      bounds.push(checkin);
    }
    if (hasFacility && hasCheckin) {
      L.polyline([facility, checkin], { color: "#b3261e", weight: 2, dashArray: "6 6", interactive: false }).addTo(map);
    }
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
    else if (bounds.length) map.setView(bounds[0], 16);
  }

  function draw() {
    if (typeof L === "undefined") return;
    var point = document.getElementById("map");
    if (point) drawPoint(point);
    var routes = document.getElementById("schedule-map");
    if (routes) drawRoutes(routes);
    var checkin = document.getElementById("checkin-map");
    if (checkin) drawCheckIn(checkin);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
