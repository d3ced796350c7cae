// Forms that tell what to fix (GOV.UK error summary): the summary at the top
// of a page gets the focus, so keyboard and screen reader users start there;
// each link in it moves the focus to its field and brings its label into view.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label && label.offsetParent ? label : field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
