// Shared page behaviour: local times, and forms that submit once (a double click starts one run).
(function () {
  "use strict";

  function localiseTimes(root) {
    var format = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit"
    });
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) { el.textContent = format.format(when); }
    });
  }

  function submitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "true") { event.preventDefault(); return; }
      form.dataset.submitted = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.textContent = "Working…";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localiseTimes(document);
    document.querySelectorAll("form[data-once]").forEach(submitOnce);
  });
  window.Flightdeck = { localiseTimes: localiseTimes };
})();
