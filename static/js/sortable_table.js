// Sorts a table[data-sortable] by the column whose header button is pressed.
// Cells carry data-sort-value; empty values go last. aria-sort tells screen
// readers the order. Without JavaScript the table stays in its server order.
(function () {
  "use strict";
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = header.querySelector(".sort-button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortBody(table.tBodies[0], index, button.dataset.sortType === "number", ascending);
      });
    });
  });

  function sortBody(body, index, numeric, ascending) {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.sortValue || "";
      var y = b.cells[index].dataset.sortValue || "";
      if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
      var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "de");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
})();
