// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">.
(function () {
  "use strict";
  var palette = ["#1f5fbf", "#2e7d32", "#ef6c00", "#8e24aa", "#00838f", "#c62828", "#6d4c41", "#546e7a"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    spec.data.datasets.forEach(function (dataset, i) {
      var colour = dataset.backgroundColor || palette[i % palette.length];
      dataset.backgroundColor = colour;
      dataset.borderColor = dataset.borderColor || colour;
    });
    spec.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: spec.data.datasets.length > 1, position: "bottom" } } }, spec.options || {});
    new Chart(canvas, spec);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
