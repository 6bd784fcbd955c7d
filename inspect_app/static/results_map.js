// The results map (/dashboard/map): every facility in scope from one compact answer (parallel arrays), clustered
// by leaflet.markercluster, filtered here without asking the server again. A click reads that facility's newest
// audit and open items. Words come from the page (#map-labels); popups are DOM nodes holding text nodes only,
// because names and checklist texts are typed by people and Leaflet would render a string as markup.
(function () {
  "use strict";
  var box = document.getElementById("results-map");
  if (!box || typeof L === "undefined") return;
  var labels = JSON.parse(document.getElementById("map-labels").textContent);
  var locale = box.dataset.locale || "ru";
  var COLOURS = { pass: "#2e7d32", pass_with_violations: "#ef8f00", fail: "#c62828", never: "#757575" };
  var count = document.getElementById("map-count");
  var map = L.map(box, { preferCanvas: true, scrollWheelZoom: false }).setView([48.0, 67.0], 5);
  L.tileLayer(document.body.dataset.mapTiles, { maxZoom: 19, attribution: "\u00a9 OpenStreetMap" }).addTo(map);
  var cluster = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 15 });
  map.addLayer(cluster);
  var data = null, markers = [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.appendChild(document.createTextNode(String(text)));
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function resultCode(i) { return data.result[i] < 0 ? "never" : data.results[data.result[i]]; }

  function popupFor(i) {
    var div = el("div", null, "map-popup");
    div.appendChild(el("p", labels.loading));
    var url = box.dataset.detail.replace(/0\.json$/, data.id[i] + ".json");
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (f) {
      while (div.firstChild) div.removeChild(div.firstChild);
      var name = locale === "kk" && f.name_kk ? f.name_kk : f.name_ru;
      var title = el("h3");
      title.appendChild(link(box.dataset.facility.replace(/0$/, f.id), name));
      div.appendChild(title);
      div.appendChild(el("p", (labels.types[f.type] || f.type) + (f.address ? " \u00b7 " + f.address : "")));
      if (f.last_audit) {
        var p = el("p", labels.last_audit + ": " + f.last_audit.inspection_date + " \u2014 " +
                   (labels.results[f.last_audit.result] || f.last_audit.result || "") + " ");
        p.appendChild(link(box.dataset.audit.replace(/0$/, f.last_audit.id), labels.open_audit));
        div.appendChild(p);
      } else {
        div.appendChild(el("p", labels.never));
      }
      if (data.overdue[i]) div.appendChild(el("p", labels.overdue));
      if (!f.open_items.length) {
        div.appendChild(el("p", labels.none_open));
        return;
      }
      div.appendChild(el("p", labels.open_items + ":"));
      var list = el("ul");
      f.open_items.forEach(function (v) {
        var text = v.text[locale] || v.text.ru || "";
        list.appendChild(el("li", (labels.severities[v.severity] || v.severity) + ": " + text + " (" + labels.due +
                                   " " + v.due_date + ")"));
      });
      div.appendChild(list);
    }).catch(function (err) {
      // The popup says the data could not be read; the map itself stays usable.
      while (div.firstChild) div.removeChild(div.firstChild);
      div.appendChild(el("p", labels.failed + " (" + err.message + ")"));
    });
    return div;
  }

  function markerFor(i) {
    var code = resultCode(i);
    var marker = L.circleMarker([data.lat[i], data.lon[i]], {
      radius: 6, fillColor: COLOURS[code], fillOpacity: 0.9,
      color: data.critical[i] ? "#000" : "#fff", weight: data.critical[i] ? 3 : 1
    });
    marker.bindPopup(function () { return popupFor(i); });
    return marker;
  }

  function filtersMatch(i) {
    var type = document.getElementById("filter-type").value;
    var result = document.getElementById("filter-result").value;
    var district = document.getElementById("filter-district").value;
    if (type && data.types[data.type[i]] !== type) return false;
    if (result && resultCode(i) !== result) return false;
    if (district !== "" && String(data.district[i]) !== district) return false;
    if (document.getElementById("filter-overdue").checked && !data.overdue[i]) return false;
    if (document.getElementById("filter-critical").checked && !data.critical[i]) return false;
    return true;
  }

  function redraw() {
    cluster.clearLayers();
    var shown = [], bounds = [];
    for (var i = 0; i < data.id.length; i++) {
      if (!filtersMatch(i)) continue;
      if (!markers[i]) markers[i] = markerFor(i);
      shown.push(markers[i]);
      bounds.push([data.lat[i], data.lon[i]]);
    }
    cluster.addLayers(shown);
    count.textContent = labels.shown + ": " + shown.length;
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 13 });
  }

  fetch(box.dataset.src, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }).then(function (json) {
    data = json;
    var select = document.getElementById("filter-district");
    var names = data.districts.map(function (d, k) { return { k: k, name: (locale === "kk" && d[1]) || d[0] }; });
    names.sort(function (a, b) { return a.name.localeCompare(b.name); });
    names.forEach(function (d) {
      var option = el("option", d.name);
      option.value = String(d.k);
      select.appendChild(option);
    });
    ["filter-type", "filter-result", "filter-district", "filter-overdue", "filter-critical"].forEach(function (id) {
      document.getElementById(id).addEventListener("change", redraw);
    });
    redraw();
  }).catch(function (err) {
    count.textContent = labels.failed + " (" + err.message + ")";
  });
})();
