// Follows a background job: asks /auftraege/<id>/ every second, shows its
// progress and reloads the page when the job is finished (the page then
// shows the result or the error). Without JavaScript: "Seite neu laden".
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-text]");
  if (!bar) { return; }

  function poll() {
    window.fetch(box.dataset.jobStatusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        if (job.percent === null) { bar.removeAttribute("value"); } else { bar.value = job.percent; }
        if (job.text) { text.textContent = job.text; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
