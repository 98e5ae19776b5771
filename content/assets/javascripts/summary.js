/* The summary page (专题汇总表): filter the table by field, region and project type, sort it by
   number, funding or target TRL. No library, no network. Runs on every page load, also when
   Material's instant navigation swaps pages (document$). */
(function () {
  "use strict";

  function setup() {
    var table = document.querySelector("table.cg-summary");
    var form = document.querySelector("form.cg-filters");
    if (!table || !form || table.dataset.ready) return;
    table.dataset.ready = "1";

    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var count = form.querySelector(".cg-count");
    var empty = document.querySelector(".cg-empty");

    function matches(row) {
      return selects.every(function (select) {
        var want = select.value;
        if (!want) return true;
        var have = row.dataset[select.dataset.filter] || "";
        return have.split("|").indexOf(want) !== -1;
      });
    }

    function filter() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = matches(row);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
      if (empty) empty.hidden = shown > 0;
    }

    function sort(key, direction) {
      var sign = direction === "descending" ? -1 : 1;
      rows
        .slice()
        .sort(function (a, b) {
          var d = parseFloat(a.dataset[key]) - parseFloat(b.dataset[key]);
          return d !== 0 ? sign * d : parseInt(a.dataset.number, 10) - parseInt(b.dataset.number, 10);
        })
        .forEach(function (row) {
          tbody.appendChild(row);
        });
      Array.prototype.forEach.call(table.tHead.querySelectorAll("th"), function (th) {
        var button = th.querySelector("button[data-sort]");
        if (button && button.dataset.sort === key) th.setAttribute("aria-sort", direction);
        else th.removeAttribute("aria-sort");
      });
    }

    selects.forEach(function (select) {
      select.addEventListener("change", filter);
    });
    form.addEventListener("reset", function () {
      setTimeout(filter, 0); // after the browser has reset the selects
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-sort]"), function (button) {
      button.addEventListener("click", function () {
        var current = button.parentElement.getAttribute("aria-sort");
        // numbers start ascending; funding and TRL start with the largest
        var first = button.dataset.sort === "number" ? "ascending" : "descending";
        var next = current ? (current === "ascending" ? "descending" : "ascending") : first;
        sort(button.dataset.sort, next);
      });
    });

    filter();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
