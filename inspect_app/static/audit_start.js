// The "start an inspection" form: a client id for safe retries and the phone's position.
// Messages come from the #gps-status element's data-* attributes, in the page's language.
(function () {
  "use strict";
  var form = document.getElementById("start-form");
  if (!form) return;
  var uuid = form.querySelector("[name=client_uuid]");
  // A retried POST after a dropped connection reuses this id, so the server returns the same draft.
  if (!uuid.value) uuid.value = (self.crypto && crypto.randomUUID) ? crypto.randomUUID() :
    "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, function () { return (Math.random() * 16 | 0).toString(16); });
  var status = document.getElementById("gps-status");
  if (!navigator.geolocation) { status.textContent = status.dataset.unavailable; return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.querySelector("[name=gps_lat]").value = pos.coords.latitude.toFixed(6);
    form.querySelector("[name=gps_lon]").value = pos.coords.longitude.toFixed(6);
    form.querySelector("[name=gps_accuracy_m]").value = Math.round(pos.coords.accuracy);
    // The whole phrase comes translated with a {m} slot, so each language places the figure itself.
    status.textContent = status.dataset.got.replace("{m}", String(Math.round(pos.coords.accuracy)));
  }, function () { status.textContent = status.dataset.failed; },
  { enableHighAccuracy: true, timeout: 15000 });
})();
