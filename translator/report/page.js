// Filter rows by verdict (a class on <main> per hidden verdict, so the browser does one style pass)
// and sort each document's rows (a question's rows move as one group, by its worst score) by score; "showing N of M" is computed from the counts.
(function () {
  "use strict";
  var main = document.getElementById("rows");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=verdict]"));
  var shown = document.getElementById("shown");
  var sort = document.getElementById("sort");
  var total = Number(main.getAttribute("data-total"));

  function applyFilter() {
    var visible = 0;
    boxes.forEach(function (box) {
      main.classList.toggle("hide-" + box.value, !box.checked);
      if (box.checked) visible += Number(box.getAttribute("data-count"));
    });
    shown.textContent = "showing " + visible + " of " + total + " segments";
  }

  function key(row, direction) {
    var score = row.getAttribute("data-score");
    // Rows without a score go last whichever way the scores are sorted.
    return score === "" ? Infinity : direction * Number(score);
  }

  function applySort() {
    var mode = sort.value;
    var direction = mode === "desc" ? -1 : 1;
    Array.prototype.forEach.call(document.querySelectorAll(".table"), function (table) {
      var rows = Array.prototype.slice.call(table.querySelectorAll(":scope > .row[data-i], :scope > .qgroup[data-i]"));
      rows.sort(function (a, b) {
        var order = Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i"));
        if (mode === "order") return order;
        return (key(a, direction) - key(b, direction)) || order;
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      table.appendChild(fragment);
    });
  }

  function stickyOffset() {
    var bar = document.querySelector(".controls");
    document.documentElement.style.setProperty("--top-height", bar.offsetHeight + "px");
  }

  boxes.forEach(function (box) { box.addEventListener("change", applyFilter); });
  sort.addEventListener("change", applySort);
  window.addEventListener("resize", stickyOffset);
  stickyOffset();
  applyFilter();
})();
