// Shows the progress of an import: the upload in per cent, then the check.
// Without JavaScript the form posts as usual and the page shows the result.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) { return; }
  document.querySelectorAll("form[data-import-progress]").forEach(watch);

  function watch(form) {
    var box = form.querySelector("#import-progress");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");

    function show(message, value) {
      box.hidden = false;
      text.textContent = message;
      if (value === null) { bar.removeAttribute("value"); } else { bar.value = value; }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          show(box.dataset.uploading.replace("%s", percent), percent);
        }
      });
      request.upload.addEventListener("load", function () {
        show(box.dataset.checking, null);
      });
      request.addEventListener("load", function () {
        // The server may have redirected (to the dry run of the kept file):
        // show that address, so that reloading and paging work.
        if (request.responseURL && window.history.replaceState) {
          window.history.replaceState(null, "", request.responseURL);
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        show(box.dataset.failed, 0);
        form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      });
      show(box.dataset.uploading.replace("%s", 0), 0);
      request.send(data);
    });
  }
})();
