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

  var KEY_PREFIX = "encryptcontent_";  // the encryption plugin's remember_prefix

  /* 退出: forget the keys this tab remembered, so every page asks for the password again. */
  function addLockButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".jf-lock")) return;
    var button = document.createElement("button");
    button.className = "jf-lock md-header__button";
    button.type = "button";
    button.textContent = "退出";
    button.title = "退出：清除本窗口记住的密码，再打开页面需要重新输入";
    button.addEventListener("click", function () {
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf(KEY_PREFIX) === 0) sessionStorage.removeItem(k); });
      window.location.reload();
    });
    header.appendChild(button);
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

  /* Print only the three documents of a record page, each on its own A4 page. */
  window.jingfangPrintDocuments = function () {
    var details = document.querySelector("details.jf-documents");
    if (details) details.open = true;
    document.body.classList.add("jf-print-documents");
    window.addEventListener("afterprint", function done() {
      document.body.classList.remove("jf-print-documents");
      window.removeEventListener("afterprint", done);
    });
    window.print();
  };

  window.jingfangInit = function (root) {
    root = root || document;
    root.querySelectorAll("table.jf-sortable").forEach(makeSortable);
    root.querySelectorAll(".jf-filter-bar").forEach(connectFilter);
  };
  function start() {
    addLockButton();
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
