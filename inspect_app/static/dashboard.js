// The dashboard's two charts, drawn by Chart.js from the #dash-charts JSON block (labels are drawn on canvas).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dash-charts");
    if (!window.Chart || !source) return;
    var data = JSON.parse(source.textContent);
    // Numbers on the axes in the page's language (9 000 on a Russian page, not 9,000).
    var common = { locale: document.documentElement.lang || "ru", responsive: true, maintainAspectRatio: false,
                   animation: false,
                   plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } } };
    new Chart(document.getElementById("chart-monthly"), { type: "bar", data: data.monthly,
      options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
        ticks: { precision: 0 } } } }) });
    new Chart(document.getElementById("chart-sections"), { type: "bar", data: data.sections,
      options: Object.assign({}, common, { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true,
        ticks: { precision: 0 } }, y: { stacked: true } } }) });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
