// Polls a job's JSON status every second and updates the progress bar until the job ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var names = JSON.parse(box.dataset.statuses || "{}");
  var labels = JSON.parse(box.dataset.labels || "{}");
  var done = ["finished", "failed", "cancelled"];
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function render(s) {
    var pct = Math.round((s.progress || 0) * 1000) / 10;
    part("status").textContent = names[s.status] || s.status;
    part("phase").textContent = s.phase || "";
    part("bar").style.width = pct + "%";
    part("bar").parentNode.setAttribute("aria-valuenow", Math.round(pct));
    part("percent").textContent = Math.round(pct) + "%";
    part("elapsed").textContent = s.elapsed_seconds == null ? "—" : s.elapsed_seconds;
    part("message").textContent = s.message || "";
    var live = (s.result && s.result.live) || {};
    var dl = part("live");
    dl.textContent = "";
    Object.keys(live).forEach(function (key) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = labels[key] || key;
      dd.textContent = live[key];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    if (done.indexOf(s.status) >= 0) {
      part("cancel").hidden = true;
      // A build of one schedule opens it; otherwise the page lists links to the result (schedules, a ZIP):
      // reload once to show them.
      if (box.dataset.done !== "true" && s.status === "finished") {
        if (s.next) window.location.assign(s.next); else window.location.reload();
      }
    }
    return done.indexOf(s.status) < 0;
  }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) { if (render(s)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
