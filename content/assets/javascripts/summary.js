/* The summary page (专题汇总表): filter the table by field, region category, partner country or region
   and project type; sort it by number, funding or target TRL (header buttons or the 排序 list).
   The filters and the sort live in the address (?field=新材料&partner=RU&sort=funding:descending):
   a reload restores them, the address can be shared, and the back button steps through them.
   No library, no network. Runs on every page load, also when Material's instant navigation swaps
   pages (document$). */
(function () {
  "use strict";

  var DEFAULT_SORT = "number:ascending";

  function setup() {
    var table = document.querySelector("table.cg-summary");
    var form = document.querySelector("form.cg-filters");
    if (!table || !form || table.dataset.ready) return;
    table.dataset.ready = "1";

    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var sorter = form.querySelector("select[data-sort-select]");
    var count = form.querySelector(".cg-count");
    var empty = document.querySelector(".cg-empty");
    var current = DEFAULT_SORT;

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

    function sort(value) {
      var parts = value.split(":");
      var key = parts[0];
      var direction = parts[1] === "descending" ? "descending" : "ascending";
      var sign = direction === "descending" ? -1 : 1;
      current = key + ":" + direction;
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
      if (sorter) sorter.value = current;
    }

    /* the state as the address says it; values the page does not offer are ignored */
    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var want = params.get(select.dataset.param) || "";
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === want; });
        select.value = known ? want : "";
      });
      var wanted = params.get("sort") || DEFAULT_SORT;
      var offered = sorter && Array.prototype.some.call(sorter.options, function (o) { return o.value === wanted; });
      sort(offered ? wanted : DEFAULT_SORT);
      filter();
    }

    /* a new history entry for every change the reader makes */
    function toAddress() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value) params.set(select.dataset.param, select.value);
        else params.delete(select.dataset.param);
      });
      if (current !== DEFAULT_SORT) params.set("sort", current);
      else params.delete("sort");
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(null, "", url);
      }
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () {
        filter();
        toAddress();
      });
    });
    if (sorter) {
      sorter.addEventListener("change", function () {
        sort(sorter.value);
        toAddress();
      });
    }
    form.addEventListener("reset", function () {
      setTimeout(function () {
        // after the browser has reset the selects; the order is kept, as the button says 清除筛选
        if (sorter) sorter.value = current;
        filter();
        toAddress();
      }, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-sort]"), function (button) {
      button.addEventListener("click", function () {
        var now = button.parentElement.getAttribute("aria-sort");
        // numbers start ascending; funding and TRL start with the largest
        var first = button.dataset.sort === "number" ? "ascending" : "descending";
        var next = now ? (now === "ascending" ? "descending" : "ascending") : first;
        sort(button.dataset.sort + ":" + next);
        toAddress();
      });
    });
    window.addEventListener("popstate", function () {
      if (document.body.contains(table)) fromAddress();
    });

    fromAddress();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
