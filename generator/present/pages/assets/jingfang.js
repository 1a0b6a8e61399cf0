/* 精防台账: roster filter box and sortable columns, printing, phone cards. No network, no dependencies.
   The keys, the password form and 退出 are jingfang-keys.js's. */
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

  /* Without a secure context (plain http on a LAN address) the browser offers no decryption at all: say so. */
  function explainInsecureOrigin() {
    var form = document.getElementById("mkdocs-decrypt-form");
    if (!form || (window.isSecureContext && window.crypto && window.crypto.subtle)) return;
    var msg = document.getElementById("mkdocs-decrypt-msg");
    form.querySelectorAll("input, button").forEach(function (el) { el.disabled = true; });
    if (msg) {
      msg.className = "jf-insecure";
      msg.textContent = "无法在这个地址解密：浏览器只在安全的地址上提供解密功能。请直接打开网站文件夹里的 index.html，" +
        "或在本机运行 jingfang serve 后访问 http://127.0.0.1:8000/ ，或请管理员用 https 发布网站。";
    }
  }

  /* Print with a class on the body (jingfang.css chooses what prints by it), taken off again after printing. */
  function printWith(cls) {
    document.body.classList.add(cls);
    window.addEventListener("afterprint", function done() {
      document.body.classList.remove(cls);
      window.removeEventListener("afterprint", done);
    });
    window.print();
  }

  /* Print only the documents of a record page, each on its own A4 page. */
  window.jingfangPrintDocuments = function () {
    var details = document.querySelector("details.jf-documents");
    if (details) details.open = true;
    printWith("jf-print-documents");
  };

  /* A village's agreement batch prints those to sign; 打印全部 also prints those still in force (.jf-in-force). */
  window.jingfangPrintAll = function () {
    printWith("jf-print-all");
  };

  /* The township's name for the printed page's margin (jingfang.css @page): from the decrypted body, set through
     the CSSOM, which the Content-Security-Policy allows where a <style> element would be refused. */
  function setPrintTownship(root) {
    var holder = root.querySelector(".jf-township[data-township]");
    if (holder && window.CSS && CSS.escape) {
      document.documentElement.style.setProperty("--jf-township", '"' + CSS.escape(holder.dataset.township) + '"');
    }
  }

  /* Each cell gets its column's header as data-label (a phone's card shows it before the value) and the header's
     layout classes (jf-nw: never wrap; jf-more: folded on a phone): the pages write them once, on the header. */
  function labelCells(table) {
    if (table.dataset.jfLabelled || !table.tHead || !table.tBodies.length) return;
    table.dataset.jfLabelled = "1";
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return { label: th.textContent, classes: ["jf-nw", "jf-more"].filter(function (c) { return th.classList.contains(c); }) };
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (td, i) {
        var head = heads[i];
        if (!head) return;
        td.dataset.label = head.label;
        head.classes.forEach(function (c) { td.classList.add(c); });
      });
    });
  }

  /* On a phone each row is a card with its lesser fields folded (jingfang.css): a tap on the card, not on a link,
     opens or folds it. One listener per table. */
  function makeFoldable(table) {
    if (table.dataset.jfFold || !table.querySelector("td.jf-more")) return;
    table.dataset.jfFold = "1";
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) { r.classList.add("jf-fold"); });
    table.addEventListener("click", function (event) {
      var row = event.target.closest("tr.jf-fold");
      if (row && !event.target.closest("a, button, input")) row.classList.toggle("jf-open");
    });
  }

  window.jingfangInit = function (root) {
    root = root || document;
    root.querySelectorAll("table.jf-sortable").forEach(makeSortable);
    root.querySelectorAll("table.jf-table").forEach(labelCells);
    root.querySelectorAll("table.jf-table").forEach(makeFoldable);
    root.querySelectorAll(".jf-filter-bar").forEach(connectFilter);
    setPrintTownship(root);
  };
  function start() {
    explainInsecureOrigin();
    window.jingfangInit();
  }
  // the tables of an encrypted page exist only once the plugin has decrypted it
  window.addEventListener("encryptcontent_event", function () { window.jingfangInit(); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
