// GOV.UK error summary: focus moves to the summary when the page loads, and
// each link in it moves the focus to its field (not only scrolls to it).
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
