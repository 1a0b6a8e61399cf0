/* 精防台账: roster filter box and sortable columns. No network, no dependencies. */
(function () {
  "use strict";

  function cellKey(td) {
    var t = (td ? td.textContent : "").trim();
    var n = t.match(/^-?\d+(\.\d+)?/);
    return n && /^-?\d+(\.\d+)?( ?(级|天|岁))?$/.test(t) ? [0, parseFloat(n[0]), t] : [1, 0, t];
  }

  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[0] === 0 && a[1] !== b[1]) return a[1] - b[1];
    return a[2].localeCompare(b[2], "zh-Hans-CN");
  }

  function makeSortable(table) {
    if (table.dataset.jfSort) return;
    table.dataset.jfSort = "1";
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.classList.add("jf-sort");
      th.title = "点击排序";
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { return dir * compare(cellKey(r1.cells[col]), cellKey(r2.cells[col])); });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function connectFilter(bar) {
    var input = bar.querySelector(".jf-filter");
    var count = bar.querySelector(".jf-count");
    var table = bar.nextElementSibling;
    while (table && table.tagName !== "TABLE") table = table.nextElementSibling;
    if (!input || !table || input.dataset.jfFilter) return;
    input.dataset.jfFilter = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var haystacks = rows.map(function (r) {
      return (r.textContent + " " + (r.getAttribute("data-search") || "")).toLowerCase();
    });
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = terms.every(function (t) { return haystacks[i].indexOf(t) !== -1; });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = terms.length ? "显示 " + shown + " / " + rows.length + " 行" : "共 " + rows.length + " 行";
    }
    input.addEventListener("input", apply);
    apply();
  }

  window.jingfangInit = function (root) {
    root = root || document;
    root.querySelectorAll("table.jf-sortable").forEach(makeSortable);
    root.querySelectorAll(".jf-filter-bar").forEach(connectFilter);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { window.jingfangInit(); });
  } else {
    window.jingfangInit();
  }
})();
