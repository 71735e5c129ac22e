// Follows a bulk decision run: polls its small JSON endpoint and updates the
// progress bar until the run has finished.
(function () {
  "use strict";
  var box = document.getElementById("bulk-progress");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("bulk-bar");
  // The tag's colour for each status (core/templatetags/design_system.py).
  var colours = { queued: "grey", running: "blue", done: "green", failed: "red" };

  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        bar.max = run.total;
        bar.value = run.done;
        bar.textContent = run.percent + " %";
        document.getElementById("bulk-done").textContent = run.done;
        document.getElementById("bulk-total").textContent = run.total;
        var tag = document.getElementById("bulk-status");
        tag.textContent = run.status_label;
        tag.className = "govuk-tag govuk-tag--" + (colours[run.status] || "grey");
        var errors = document.getElementById("bulk-errors");
        errors.textContent = "";
        run.errors.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          errors.appendChild(item);
        });
        if (!run.finished) window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
