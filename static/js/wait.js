// Polls the JSON at [data-wait-url] until it answers {"done": true}, then reloads the page to show the outcome.
(function () {
  "use strict";

  function wait(element) {
    var delay = parseInt(element.dataset.pollMs, 10) || 2000;
    var failures = 0;

    function tick() {
      fetch(element.dataset.waitUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("status " + response.status); }
          return response.json();
        })
        .then(function (body) {
          failures = 0;
          if (body.done) { window.location.reload(); return; }
          element.textContent = "Waiting for " + body.waiting + " of " + body.runs.length +
            " runs; the chart appears when every run has ended.";
          window.setTimeout(tick, delay);
        })
        .catch(function (error) {
          failures += 1;
          element.textContent = "Could not check progress (" + error.message + "); retrying…";
          window.setTimeout(tick, Math.min(30000, delay * Math.pow(2, failures)));
        });
    }
    window.setTimeout(tick, delay);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-wait-url]").forEach(wait);
  });
})();
