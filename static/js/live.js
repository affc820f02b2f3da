// Follows a run's status by polling its JSON endpoint until it reaches a final state; no page reload.
(function () {
  "use strict";

  function badge(status) {
    var span = document.createElement("span");
    span.className = "badge badge-" + status;
    span.textContent = status;
    return span;
  }

  function setTime(cell, iso) {
    if (!cell || !iso) { return; }
    var t = document.createElement("time");
    t.setAttribute("datetime", iso);
    t.textContent = iso;
    cell.replaceChildren(t);
    if (window.Flightdeck) { window.Flightdeck.localiseTimes(cell); }
  }

  function follow(section) {
    var url = section.dataset.statusUrl;
    var delay = parseInt(section.dataset.pollMs, 10) || 2000;
    var note = section.querySelector("[data-live=note]");
    var failures = 0;

    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok) { throw new Error(result.body.error ? result.body.error.message : "status unavailable"); }
          failures = 0;
          var run = result.body;
          section.querySelector("[data-live=status]").replaceChildren(badge(run.status));
          section.querySelector("[data-live=platform_status]").textContent = run.platform_status;
          setTime(section.querySelector("[data-live=started]"), run.started);
          setTime(section.querySelector("[data-live=finished]"), run.finished);
          section.querySelector("[data-live=duration]").textContent = run.duration;
          note.hidden = true;
          if (run.final) {
            section.dataset.final = "true";
            var spinner = section.querySelector("[data-live=spinner]");
            if (spinner) { spinner.remove(); }
            var stop = section.querySelector("[data-live=stop]");
            if (stop) { stop.remove(); }  // nothing left to stop
            note.hidden = false;
            note.textContent = "Run ended: " + run.status + ". Reload for the full details.";
            return;
          }
          window.setTimeout(tick, delay);
        })
        .catch(function (error) {
          failures += 1;
          note.hidden = false;
          note.textContent = "Could not update the status (" + error.message + "); retrying…";
          window.setTimeout(tick, Math.min(30000, delay * Math.pow(2, failures)));
        });
    }
    window.setTimeout(tick, delay);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".run-live").forEach(function (section) {
      if (section.dataset.final !== "true") { follow(section); }
    });
  });
})();
