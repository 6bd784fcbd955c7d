// The capacity page's chart: inspector-days needed and available by district (or region), from #capacity-chart.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("capacity-chart");
    if (!window.Chart || !source) return;
    var data = JSON.parse(source.textContent);
    new Chart(document.getElementById("chart-capacity"), { type: "bar", data: data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: "y",
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { x: { beginAtZero: true } } } });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
