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

  /* Keys. The encryption plugin reads each level's key from this tab's sessionStorage when a page loads and stores
     the keys there on unlocking (its only way over file://: nothing else outlives a page load), so that one unlock
     opens every page of a visit. Here, once the plugin has used them, the keys leave sessionStorage for this page's
     memory. They go back only when this page is left for another page of this site that it is navigating to itself
     (a link, back/forward within the site, F5, 退出's reload: see `following`), at the last moment (pagehide, when no
     other navigation can take the place of that one), for the next page to take at once. Leaving the site in any
     other way (the address bar, a bookmark, back past the site, closing the tab) writes nothing and removes any
     key left behind: Chromium writes sessionStorage to the profile on disk a few seconds after a change and keeps it
     after the browser closes, and keys that stay there for less never reach the disk. The keys are also forgotten
     after LOCK idle minutes, on 退出, and when a handover is not fresh (a page that never opened, a crash). This runs
     before the plugin's deferred script reads sessionStorage. */
  // the encryption plugin's remember_prefix, from generator/encryption.py through the page
  var prefixMeta = document.querySelector('meta[name="jingfang-key-prefix"]');
  var KEY_PREFIX = prefixMeta ? prefixMeta.content : "encryptcontent_";
  var ACTIVE_AT = "jingfang_active_at";  // last input or page load in this tab (ms since 1970)
  var HANDED_AT = "jingfang_handed_at";  // when a page of the site last handed its keys to the next (pagehide)
  var NOTICE = "jingfang_notice";  // why the keys were forgotten, shown by the next page's password form
  var GRACE_MS = 60 * 1000;  // the next page takes handed keys at once; older ones were left behind
  var FOLLOW_MS = 20 * 1000;  // a navigation to a page of the site must have begun this recently to get the keys
  var TOUCH_EVERY_MS = 10 * 1000;  // activity is written at most this often
  var CHECK_EVERY_MS = 30 * 1000;  // timers are late after sleep: look again at least this often
  var LOCK_DEFAULT = 30;

  function lockMinutes() {
    var meta = document.querySelector('meta[name="jingfang-lock-minutes"]');
    var n = meta ? parseInt(meta.getAttribute("content"), 10) : NaN;
    return n >= 1 && n <= 720 ? n : LOCK_DEFAULT;
  }
  var LOCK_MS = lockMinutes() * 60 * 1000;

  // storage may be switched off in the browser: then the plugin remembers nothing either, and we do nothing
  function read(name) { try { return sessionStorage.getItem(name); } catch (e) { return null; } }
  function write(name, value) { try { sessionStorage.setItem(name, value); } catch (e) { /* see read */ } }
  function remove(name) { try { sessionStorage.removeItem(name); } catch (e) { /* see read */ } }
  function keyNames() {
    try { return Object.keys(sessionStorage).filter(function (k) { return k.indexOf(KEY_PREFIX) === 0; }); }
    catch (e) { return []; }
  }

  var held = {};  // this page's keys, out of sessionStorage while the page is open
  function holding() { return Object.keys(held).length > 0; }
  function takeKeys() {
    keyNames().forEach(function (k) { held[k] = read(k); remove(k); });
  }
  function handOverKeys() {
    if (!holding()) return;
    Object.keys(held).forEach(function (k) { write(k, held[k]); });
    write(HANDED_AT, String(Date.now()));
  }
  function forgetKeys() {
    held = {};
    keyNames().forEach(remove);
    remove(HANDED_AT);
  }

  /* The site's pages: under the folder Material's config names as the site's base, HTML. */
  var siteRoot = (function () {
    try {
      var base = JSON.parse(document.getElementById("__config").textContent).base || ".";
      return new URL(base.replace(/\/?$/, "/"), location.href);
    } catch (e) { return null; }  // no config: hand nothing over
  })();
  function isSitePage(url) {
    var u;
    try { u = new URL(url, location.href); } catch (e) { return false; }
    return siteRoot !== null && u.protocol === siteRoot.protocol && u.host === siteRoot.host &&
      u.pathname.indexOf(siteRoot.pathname) === 0 && /(\.html|\/)$/.test(u.pathname);
  }

  /* The navigation under way, when it goes to a page of this site and this page began it: {at, unloads}, else null.

     The Navigation API's navigate event names the destination of every navigation the page starts (links, scripts,
     back/forward, whose destination is in this site's history), but not of one the browser starts by itself (the
     address bar, a bookmark, its reload button). Each navigation, of either kind, has one beforeunload: after the
     navigate event for those the page starts, before it for back/forward. So a beforeunload more than that means
     another navigation has begun in its place: the keys are then not handed over. F5 and Ctrl+R reach the page as
     keys before the browser reloads. Without the Navigation API (older browsers) a click on a link counts; the
     back/forward buttons then ask for the password again. */
  var following = null;
  function follow(unloads) { following = { at: Date.now(), unloads: unloads }; }
  function onNavigate(event) {
    if (event.destination.sameDocument || (event.downloadRequest !== null && event.downloadRequest !== undefined)) {
      return;  // this page stays
    }
    if (isSitePage(event.destination.url)) follow(event.navigationType === "traverse" ? 0 : 1);
    else following = null;
  }
  function onClick(event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (!a || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey || a.hasAttribute("download") || (a.target && a.target !== "_self")) return;
    if (isSitePage(a.href) && a.href.split("#")[0] !== location.href.split("#")[0]) follow(1);
  }
  function onReloadKey(event) {
    var key = (event.key || "").toLowerCase();
    if (key === "f5" || (key === "r" && (event.ctrlKey || event.metaKey))) follow(1);
  }
  function onBeforeUnload() {
    if (following && following.unloads-- <= 0) following = null;
  }
  function followingSite() {
    var now = Date.now();
    return following !== null && now - following.at >= 0 && now - following.at <= FOLLOW_MS;
  }

  // a time in the future by more than the grace (clock turned back) counts as expired too
  function within(since, limit, now) {
    var gap = now - Number(since);
    return since !== null && gap >= -GRACE_MS && gap <= limit;
  }

  /* Forget the handed-over keys when they were not handed over just now ("stale") or the tab was idle too long
     ("idle"); say which.

     Keys must come with a handover within the grace: none at all means they were left behind. A page the
     back/forward cache gives back may show before the page it replaces has had its pagehide (another process), so
     there only a handover that is too old counts. */
  function expire(now, restored) {
    if (!keyNames().length) return "";
    var handed = read(HANDED_AT);
    var stale = restored ? handed !== null && !within(handed, GRACE_MS, now) : !within(handed, GRACE_MS, now);
    var why = stale ? "stale" : !within(read(ACTIVE_AT), LOCK_MS, now) ? "idle" : "";
    if (why) forgetKeys();
    return why;
  }

  function touch() {
    var now = Date.now();
    var gap = now - Number(read(ACTIVE_AT));
    if (gap >= 0 && gap < TOUCH_EVERY_MS) return;
    write(ACTIVE_AT, String(now));
  }

  function idleNotice() {
    return "已经 " + LOCK_MS / 60000 + " 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。";
  }

  function showNotice() {
    var why = read(NOTICE);
    remove(NOTICE);
    var msg = document.getElementById("mkdocs-decrypt-msg");
    if (why === "idle" && msg && document.getElementById("mkdocs-encrypted-content")) msg.textContent = idleNotice();
  }

  function isDecrypted() {
    return typeof window.encryptcontent_id === "string" && !document.getElementById("mkdocs-encrypted-content");
  }

  var timer = null;
  function watchIdle() {
    clearTimeout(timer);
    takeKeys();  // an unlock has just stored keys, or the plugin has read them
    remove(HANDED_AT);
    if (!holding()) return;
    var now = Date.now();
    if (!within(read(ACTIVE_AT), LOCK_MS, now)) {
      forgetKeys();
      write(NOTICE, "idle");
      if (isDecrypted()) window.location.reload(); else showNotice();
      return;
    }
    var left = Number(read(ACTIVE_AT)) + LOCK_MS - now;
    timer = setTimeout(watchIdle, Math.max(1000, Math.min(left + 500, CHECK_EVERY_MS)));
  }

  function startKeyWatch() {
    if (expire(Date.now(), false) === "idle") write(NOTICE, "idle");
    touch();  // opening a page is activity
    ["pointerdown", "keydown", "input", "wheel", "scroll", "touchstart", "mousemove"].forEach(function (type) {
      document.addEventListener(type, touch, { capture: true, passive: true });
    });
    if (window.navigation && window.navigation.addEventListener) {
      window.navigation.addEventListener("navigate", onNavigate);
    } else {
      document.addEventListener("click", onClick);
    }
    document.addEventListener("keydown", onReloadKey, true);
    window.addEventListener("beforeunload", onBeforeUnload);
    // the only place keys are written: leaving for the page of the site this page is navigating to; otherwise
    // nothing, and whatever key is still in the storage goes
    window.addEventListener("pagehide", function () {
      clearTimeout(timer);
      if (followingSite()) handOverKeys(); else forgetKeys();
      following = null;
      held = {};
    });
    // The back/forward cache gives a page back without running its scripts again, maybe decrypted, after its keys
    // went to the next page (and maybe were forgotten there): a decrypted one loads again, to ask the storage.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      held = {};
      following = null;
      if (expire(Date.now(), true) === "idle") write(NOTICE, "idle");
      if (isDecrypted()) {
        window.location.reload();
      } else {
        touch();
        showNotice();
        watchIdle();
        setTimeout(watchIdle, 2000);  // keys the page before hands over after this shows: out of the storage
      }
    });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) watchIdle(); });
    window.addEventListener("encryptcontent_event", watchIdle);
    document.addEventListener("DOMContentLoaded", watchIdle);  // pages without encrypted content have no event
  }
  startKeyWatch();  // now, not on DOMContentLoaded: the plugin's deferred script reads the keys before that

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
      forgetKeys();
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
    showNotice();
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
