// Shows only the parts of the target form that fit the chosen kind.
// Without JavaScript every part stays visible and the server checks the input.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) { return; }
  var numeric = document.querySelector(".numeric-fields");
  var qualitative = document.querySelector(".qualitative-fields");
  function update() {
    var value = kind.value;
    // A part that shows an error message stays visible whatever the kind.
    if (numeric) {
      numeric.hidden = value === "qualitative" && !numeric.querySelector(".is-invalid");
    }
    if (qualitative) {
      qualitative.hidden = value !== "qualitative" && value !== "" &&
        !qualitative.querySelector(".is-invalid");
    }
  }
  kind.addEventListener("change", update);
  update();
})();
