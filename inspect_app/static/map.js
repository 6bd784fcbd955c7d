// Draws the small map of a facility or an inspector's home base from the #map element's data attributes.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("map");
    if (!box || typeof L === "undefined") return;
    var lat = parseFloat(box.dataset.lat), lon = parseFloat(box.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    var map = L.map(box, { scrollWheelZoom: false }).setView([lat, lon], 15);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    L.marker([lat, lon]).addTo(map).bindPopup(box.dataset.title || "");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
