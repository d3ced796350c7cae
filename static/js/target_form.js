// Shows only the parts of the target form that fit the chosen kind, indicator
// and comparator. Without JavaScript every part stays visible and the server
// checks the input; a part that shows an error message always stays visible.
(function () {
  "use strict";
  var form = document.getElementById("target-form");
  if (!form) { return; }
  var kind = document.getElementById("id_kind");
  var indicator = document.getElementById("id_indicator");
  var comparator = document.getElementById("id_comparator");

  function wrapper(name) {
    var field = document.getElementById("id_" + name);
    return field ? field.closest("[id^='div_id_']") || field.parentElement : null;
  }
  function show(element, visible) {
    if (!element) { return; }
    element.hidden = !visible && !element.querySelector(".is-invalid");
  }
  function update() {
    var value = kind ? kind.value : "";
    var numeric = value === "change" || value === "level" || value === "count";
    var local = !indicator || indicator.value === "";
    form.querySelectorAll(".numeric-fields").forEach(function (part) {
      show(part, value !== "qualitative");
    });
    form.querySelectorAll(".qualitative-fields").forEach(function (part) {
      show(part, value === "qualitative" || value === "");
    });
    ["comparator", "target_value", "data_status"].forEach(function (name) {
      show(wrapper(name), numeric || value === "");
    });
    show(wrapper("tolerance"), comparator && comparator.value === "approx");
    show(wrapper("unit"), local && value !== "change");
    show(wrapper("subject"), local && (value === "level" || value === "count"));
    show(wrapper("target_change"), value === "level" || value === "count");
  }
  [kind, indicator, comparator].forEach(function (field) {
    if (field) { field.addEventListener("change", update); }
  });
  update();
})();
