// Shared page behaviour: times in the viewer's zone, a zone picker that applies at once, and forms that submit once (a double click starts one run).
(function () {
  "use strict";

  function timeFormat(withYear) {
    // The zone the viewer chose (kept by the server in a cookie), else the browser's own; a 24-hour
    // clock, and the year only when it is not this one, so a time fits a table cell on one line.
    var options = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (withYear) { options.year = "numeric"; }
    var zone = document.body.dataset.timezone;
    if (zone) { options.timeZone = zone; options.timeZoneName = "short"; }
    try { return new Intl.DateTimeFormat(undefined, options); } catch (e) { delete options.timeZone; }
    return new Intl.DateTimeFormat(undefined, options);
  }

  function autoSubmit(form) {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.hidden = true; }
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  function localiseTimes(root) {
    var thisYear = timeFormat(false), otherYear = timeFormat(true), year = new Date().getFullYear();
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) { el.textContent = (when.getFullYear() === year ? thisYear : otherYear).format(when); }
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
    document.querySelectorAll("form[data-autosubmit]").forEach(autoSubmit);
  });
  window.Flightdeck = { localiseTimes: localiseTimes };
})();
