/* The route page: a Leaflet map of the day's stops (circle markers and the route line, drawn even when no
   tile loads; popups are text nodes, never HTML), each stop's state on the phone, and the offline copy:
   once the page is open with a network, the service worker keeps it and every stop's checklist. */
(function () {
  "use strict";
  var page = document.getElementById("route-page");

  function drawMap() {
    var box = document.getElementById("route-map"), holder = document.getElementById("route-map-data");
    if (!box || !holder || typeof L === "undefined") return;
    var d = JSON.parse(holder.textContent);
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution }).addTo(map);
    var line = [];
    if (d.home) {
      line.push(d.home);
      L.circleMarker(d.home, { radius: 6, color: "#555", fillOpacity: 0.9 }).addTo(map);
    }
    d.stops.forEach(function (s) {
      line.push([s.lat, s.lon]);
      var popup = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = s.n + ". " + s.name;
      popup.appendChild(title);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(s.time + " · " + (s.address || "")));
      L.circleMarker([s.lat, s.lon], { radius: 9, color: "#0b5cad", fillColor: "#0b5cad", fillOpacity: 0.85 })
        .addTo(map).bindPopup(popup).bindTooltip(String(s.n), { permanent: true, direction: "center", className: "stop-label" });
    });
    if (d.home) line.push(d.home);
    if (line.length > 1) L.polyline(line, { color: "#0b5cad", weight: 3, opacity: 0.7 }).addTo(map);
    map.fitBounds(L.latLngBounds(line.length ? line : [[43.25, 76.95]]).pad(0.15));
  }

  /* "Draft on the phone" is known only to the phone: show it over the server's state. */
  function phoneStates() {
    var O = self.TekseruOutbox;
    if (!O) return;
    document.querySelectorAll(".state[data-visit]").forEach(function (badge) {
      O.load("visit:" + badge.dataset.visit).then(function (rec) {
        if (!rec || badge.dataset.state === "submitted" || badge.dataset.state === "not_done") return;
        if (rec.notDone) {
          /* Recorded on the phone (maybe already sent since this page was kept). */
          badge.textContent = page.dataset.notDoneLabel + ": " + (rec.notDone.label || rec.notDone.reason) +
            (rec.notDone.done ? "" : " " + page.dataset.phoneSuffix);
          badge.className = "badge state state-not_done";
          return;
        }
        if (!O.pending(rec)) return;
        badge.textContent = rec.discard && !rec.discard.done && !rec.checkIn ?
          page.dataset.plannedLabel + " " + page.dataset.phoneSuffix : page.dataset.phoneLabel || badge.textContent;
        badge.className = "badge state state-phone";
      });
    });
  }

  /* Resolves once `url` is in a cache (or after `tries` quarter-seconds: a slow phone still works online). */
  function storedSoon(url, tries) {
    if (!self.caches) return Promise.resolve();
    return caches.match(url).then(function (hit) {
      if (hit || tries <= 0) return hit;
      return new Promise(function (resolve) { setTimeout(resolve, 250); }).then(function () {
        return storedSoon(url, tries - 1);
      });
    });
  }

  /* Keep the route and every stop's checklist for a day without a network. */
  function keepOffline() {
    if (!("serviceWorker" in navigator) || page.dataset.offline !== "1") return;
    var status = document.getElementById("offline-status");
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      /* The service worker keeps pages in the cache of the user the pages said is signed in: say it first. */
      return self.TekseruOutbox && self.TekseruOutbox.ready;
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      if (navigator.serviceWorker.controller) return;
      return new Promise(function (resolve) {
        navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
        setTimeout(resolve, 10000);
      });
    }).then(function () {
      if (!navigator.onLine) return;
      var urls = [location.pathname + location.search].concat(JSON.parse(page.dataset.stopUrls || "[]"));
      var assets = Array.prototype.map.call(document.querySelectorAll("script[src], link[rel=stylesheet]"),
                                            function (el) { return el.src || el.href; })
        .concat(["/static/checklist.js", "/static/outbox.js", "/vendor/idb-keyval/umd.js", "/static/route.css"]);
      return Promise.all(urls.concat(assets).map(function (u) {
        return fetch(u, { credentials: "same-origin" }).catch(function () { return null; });
      })).then(function () {
        /* The service worker stores a response after handing it over: say "ready" once the route is stored. */
        return storedSoon(location.pathname + location.search, 40);
      });
    }).then(function () {
      if (status && navigator.onLine) status.textContent = page.dataset.offlineReady || "";
      page.dataset.offlineCached = "1";
    }).catch(function () { /* the route still works online */ });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    var csrf = document.querySelector("meta[name=csrf-token]");
    if (self.TekseruOutbox && csrf) {
      self.TekseruOutbox.setCsrf(csrf.content).then(function () {
        if (navigator.onLine) return self.TekseruOutbox.flush();
      }).then(phoneStates, phoneStates);
    }
    window.addEventListener("online", function () { self.TekseruOutbox.flush().then(phoneStates, phoneStates); });
  }

  if (!page) return;
  drawMap();
  phoneStates();
  keepOffline();
  if (!navigator.onLine) {
    var status = document.getElementById("offline-status");
    if (status) status.textContent = page.dataset.offlineNow || "";
  }
})();
