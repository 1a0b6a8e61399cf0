/* 精防台账: the site's keys in the browser. One unlock opens the site in every tab; the keys are forgotten when idle
   and on 退出; a password recognised by jingfang-password.js goes to its entry page. No network, no dependencies. */
(function () {
  "use strict";

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
     before the plugin's deferred script reads sessionStorage.

     Other tabs (see `ask`): a locked page asks the site's other open pages, over a BroadcastChannel named after the
     build (never storage), for their keys; an unlocked page that is not idle answers from its memory. 退出 tells
     every page to forget. */
  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : null;
  }
  // the encryption plugin's remember_prefix, from generator/site/encryption.py through the page
  var KEY_PREFIX = meta("jingfang-key-prefix") || "encryptcontent_";
  var SITE = meta("jingfang-site");  // this build's random name: its pages' channel
  var ACTIVE_AT = "jingfang_active_at";  // last input or page load in this tab (ms since 1970)
  var HANDED_AT = "jingfang_handed_at";  // when a page of the site last handed its keys to the next (pagehide)
  var NOTICE = "jingfang_notice";  // why the keys were forgotten, shown by the next page's password form
  var OPENED = "jingfang_opened";  // handed over with the keys: whose password was typed on the page before
  var GRACE_MS = 60 * 1000;  // the next page takes handed keys at once; older ones were left behind
  var FOLLOW_MS = 20 * 1000;  // a navigation to a page of the site must have begun this recently to get the keys
  var TOUCH_EVERY_MS = 10 * 1000;  // activity is written at most this often
  var CHECK_EVERY_MS = 30 * 1000;  // timers are late after sleep: look again at least this often
  var LOCK_DEFAULT = 30;

  function lockMinutes() {
    var n = parseInt(meta("jingfang-lock-minutes"), 10);
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
  var opened = null;  // the name of what a password typed here opened elsewhere (handed over with the keys)
  function holding() { return Object.keys(held).length > 0; }
  function takeKeys() {
    keyNames().forEach(function (k) { held[k] = read(k); remove(k); });
  }
  function handOverKeys() {
    if (!holding()) return;
    Object.keys(held).forEach(function (k) { write(k, held[k]); });
    if (opened !== null) write(OPENED, opened);
    write(HANDED_AT, String(Date.now()));
  }
  function forgetKeys() {
    held = {};
    keyNames().forEach(remove);
    remove(HANDED_AT);
    remove(OPENED);
    showLockButton();
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
  function idle() { return !within(read(ACTIVE_AT), LOCK_MS, Date.now()); }

  function idleNotice() {
    return "已经 " + LOCK_MS / 60000 + " 分钟没有操作，为保护患者信息已自动退出，请重新输入密码。";
  }

  function showNotice() {
    var why = read(NOTICE);
    remove(NOTICE);
    var msg = document.getElementById("mkdocs-decrypt-msg");
    if (why === "idle" && msg && isLocked()) msg.textContent = idleNotice();
  }

  function isLocked() {
    return typeof window.encryptcontent_id === "string" && !!document.getElementById("mkdocs-encrypted-content");
  }
  function isDecrypted() {
    return typeof window.encryptcontent_id === "string" && !document.getElementById("mkdocs-encrypted-content");
  }

  var timer = null;
  function watchIdle() {
    clearTimeout(timer);
    takeKeys();  // an unlock has just stored keys, or the plugin has read them
    remove(HANDED_AT);
    showLockButton();
    if (!holding()) return;
    var now = Date.now();
    if (idle()) {
      forgetKeys();
      write(NOTICE, "idle");
      if (isDecrypted()) window.location.reload(); else showNotice();
      return;
    }
    var left = Number(read(ACTIVE_AT)) + LOCK_MS - now;
    timer = setTimeout(watchIdle, Math.max(1000, Math.min(left + 500, CHECK_EVERY_MS)));
  }

  /* Other tabs of the site. A locked page asks (a random question id) when it opens, when it is shown again and
     when another page says it was just unlocked; an unlocked page answers with every key it holds, unless this tab
     has been idle too long (then it locks itself instead). The channel's name is this build's random name, which
     only the build's pages carry, and it is closed while the page is left or in the back/forward cache. */
  var channel = null;
  var question = null;
  function openChannel() {
    if (channel !== null || !SITE || typeof BroadcastChannel !== "function") return;
    try { channel = new BroadcastChannel("jingfang-" + SITE); } catch (e) { return; }
    channel.onmessage = function (event) { hear(event.data); };
  }
  function closeChannel() {
    if (channel !== null) channel.close();
    channel = null;
  }
  function tell(message) {
    try { if (channel !== null) channel.postMessage(message); } catch (e) { /* the channel was closed */ }
  }
  function hear(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "ask" && typeof message.id === "string") answer(message.id);
    else if (message.type === "keys" && question !== null && message.to === question) receive(message.keys);
    else if (message.type === "lock") lockHere();
    else if (message.type === "unlocked") ask();
  }
  function answer(id) {
    if (!holding()) return;
    if (idle()) { watchIdle(); return; }  // an idle tab hands nothing on: it locks
    tell({ type: "keys", to: id, keys: held });
  }
  function ask() {
    if (channel === null || !isLocked() || (window.encryptcontent_id in held)) return;
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    question = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    tell({ type: "ask", id: question });
  }
  function receive(keys) {
    if (!keys || typeof keys !== "object") return;
    Object.keys(keys).forEach(function (k) {
      if (k.indexOf(KEY_PREFIX) === 0 && /^[0-9a-f]{64}$/.test(keys[k])) held[k] = keys[k];
    });
    watchIdle();
    openHere();
  }
  function lockHere() {
    forgetKeys();
    if (isDecrypted()) window.location.reload();
  }

  /* Open this locked page with a key it holds, as the plugin opens a page with a remembered key (its own functions,
     so the key goes through no storage), once the plugin's first attempt is over (encryptcontent_done). */
  var opening = false;
  function openHere() {
    var key = isLocked() ? held[window.encryptcontent_id] : undefined;
    if (!key || opening || !window.encryptcontent_done || typeof window.decrypt_action !== "function" ||
        typeof window.decryptor_reaction !== "function") return;
    opening = true;
    var input = document.getElementById("mkdocs-content-password");
    var content = document.getElementById("mkdocs-decrypted-content");
    window.decrypt_action(null, input, document.getElementById("mkdocs-encrypted-content"), content, key)
      .then(function (result) {
        opening = false;
        if (result) window.decryptor_reaction(result, input, content, true);
      }, function () { opening = false; });
  }

  /* A password typed on a page its level does not know, recognised by jingfang-password.js: take its keys and go to
     its entry page (handed over as any navigation to a page of the site), which then says whose password it was. */
  function adopt(found) {
    var url;
    try { url = new URL(found.url, siteRoot).href; } catch (e) { return false; }
    if (!isSitePage(url) || !found.keys || typeof found.name !== "string") return false;
    Object.keys(found.keys).forEach(function (k) {
      if (k.indexOf(KEY_PREFIX) === 0 && /^[0-9a-f]{64}$/.test(found.keys[k])) held[k] = found.keys[k];
    });
    opened = found.name;
    showLockButton();
    follow(1);
    window.location.href = url;
    return true;
  }
  window.jingfangKeys = {
    adopt: adopt,
    siteRoot: siteRoot,
    unlocked: function () { tell({ type: "unlocked" }); }  // a password typed here opened this page
  };

  /* On the entry page a typed password led to: say whose password it was, above the page (screen only). */
  var arrived = null;
  function sayOpened() {
    if (arrived === null || !isDecrypted()) return;
    var where = document.querySelector("article") || document.body;
    var note = document.createElement("p");
    note.className = "jf-opened";
    note.setAttribute("role", "status");
    note.textContent = "这是" + arrived + "的密码，已打开" + arrived + "。";
    where.insertBefore(note, where.firstChild);
    arrived = null;
    tell({ type: "unlocked" });
  }

  function afterPlugin() {
    watchIdle();
    sayOpened();
    openHere();
  }

  function startKeyWatch() {
    if (expire(Date.now(), false) === "idle") write(NOTICE, "idle");
    if (keyNames().length) arrived = read(OPENED);
    remove(OPENED);
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
      closeChannel();
      if (followingSite()) handOverKeys(); else forgetKeys();
      following = null;
      held = {};
      opened = null;
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
        openChannel();
        touch();
        showNotice();
        watchIdle();
        setTimeout(watchIdle, 2000);  // keys the page before hands over after this shows: out of the storage
        if (!keyNames().length) ask();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) return;
      watchIdle();
      ask();
    });
    window.addEventListener("encryptcontent_event", afterPlugin);
    document.addEventListener("DOMContentLoaded", watchIdle);  // pages without encrypted content have no event
    openChannel();
    if (!keyNames().length) ask();  // no keys from the page before: perhaps from another tab
  }
  startKeyWatch();  // now, not on DOMContentLoaded: the plugin's deferred script reads the keys before that

  /* 退出, shown while this page holds keys: forget them here and in every other tab of the site, so that every page
     asks for the password again. */
  function showLockButton() {
    var header = document.querySelector(".md-header__inner");
    var button = header && header.querySelector(".jf-lock");
    if (!header || !holding()) {
      if (button) button.remove();
      return;
    }
    if (button) return;
    button = document.createElement("button");
    button.className = "jf-lock md-header__button";
    button.type = "button";
    button.textContent = "退出";
    button.title = "退出：清除这个浏览器里所有打开的本网站页面记住的密码，再打开页面需要重新输入";
    button.addEventListener("click", function () {
      forgetKeys();
      tell({ type: "lock" });
      window.location.reload();
    });
    header.appendChild(button);
  }

  function start() {
    showNotice();
    showLockButton();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
