// Follows a long job (templates/core/job.html): polls its JSON status and
// updates the progress bar and the status text in place; once the job has
// finished it loads the page again, which shows the files or "try again".
// Without JS the page refreshes itself (<noscript> meta refresh) instead.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch || box.getAttribute("data-active") !== "1") return;
  var url = box.getAttribute("data-status-url");
  var every = 1000 * (parseFloat(box.getAttribute("data-refresh")) || 2);
  var bar = document.getElementById("job-bar");
  var text = document.getElementById("job-text");
  var tag = document.getElementById("job-status");
  // The step text in the page's language, filled in from the numbers.
  var stepText = box.getAttribute("data-step-text") || "{done} / {total} ({percent} %)";
  // The tag's colour for each status (core/templatetags/design_system.py).
  var colours = { queued: "grey", running: "blue", done: "green", failed: "red" };

  function show(job) {
    bar.max = job.total || 1;
    bar.value = job.status === "done" ? bar.max : job.done;
    bar.textContent = job.percent + " %";
    tag.textContent = job.status_label;
    tag.className = "govuk-tag govuk-tag--" + (colours[job.status] || "grey");
    if (job.status === "running") {
      var line = stepText
        .replace("{done}", job.done)
        .replace("{total}", job.total)
        .replace("{percent}", job.percent);
      if (text.textContent !== line) text.textContent = line;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.finished) window.location.reload();
        else window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, 3 * every); });
  }
  window.setTimeout(poll, every);
})();
