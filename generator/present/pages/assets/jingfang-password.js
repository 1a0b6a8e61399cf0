/* 精防台账: any password of the site, typed on any page. No network, no dependencies.

   The encryption plugin tries the passwords of this page's level. When it refuses, the password is looked up in the
   level probe (assets/jingfang-levels.js, made by generator/site/encryption.py: for each village's and department's
   password, the keys it opens, its entry page and name, AES-GCM under that password's key, all derived with one
   salt, so one derivation tries them all). A password found there goes, with its keys, to its entry page
   (jingfang-keys.js: adopt); only a password no level knows is answered 密码不对. */
(function () {
  "use strict";

  var keys = window.jingfangKeys;
  var typed = null;  // the password of the last 打开, until the plugin has answered

  function captureTyped(event) {
    var input = document.getElementById("mkdocs-content-password");
    if (!input || !input.value) return;
    var button = event.type === "click" && event.target.closest && event.target.closest("#mkdocs-decrypt-button");
    if (button || (event.type === "keypress" && event.key === "Enter" && event.target === input)) typed = input.value;
  }

  var probe = null;
  function loadProbe() {
    if (probe === null) {
      probe = new Promise(function (resolve) {
        if (!keys || !keys.siteRoot) { resolve(null); return; }
        var script = document.createElement("script");
        script.src = new URL("assets/jingfang-levels.js", keys.siteRoot).href;
        script.onload = function () { resolve(window.jingfangLevels || null); };
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return probe;
  }

  function fromBase64(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  async function recognise(password) {
    try {
      var levels = await loadProbe();
      var subtle = window.crypto && window.crypto.subtle;
      if (!levels || !subtle || !levels.entries.length) return null;
      // as the plugin derives a password's key: PBKDF2-SHA256 of the URI-encoded password
      var base = await subtle.importKey("raw", new TextEncoder().encode(encodeURIComponent(password)), "PBKDF2",
                                        false, ["deriveKey"]);
      var key = await subtle.deriveKey(
        { name: "PBKDF2", salt: fromBase64(levels.salt), iterations: levels.iterations, hash: "SHA-256" },
        base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
      for (var i = 0; i < levels.entries.length; i++) {
        var parts = levels.entries[i].split(";");
        try {
          var plain = await subtle.decrypt({ name: "AES-GCM", iv: fromBase64(parts[0]) }, key, fromBase64(parts[1]));
          return JSON.parse(new TextDecoder().decode(plain));
        } catch (e) { /* another password's */ }
      }
    } catch (e) { /* a password the browser cannot encode, no crypto: not known */ }
    return null;
  }

  /* The plugin answers a refused password by writing its failure message: hold it back until the probe has been
     asked (the observer runs before the page is painted, so 密码不对 never flashes). */
  function watchRefusal() {
    var msg = document.getElementById("mkdocs-decrypt-msg");
    if (!msg || !window.MutationObserver || !keys) return;
    new MutationObserver(function () {
      if (typed === null || msg.textContent !== window.decryption_failure_message) return;
      var password = typed;
      typed = null;
      msg.textContent = "";
      recognise(password).then(function (found) {
        if (found && keys.adopt(found)) msg.textContent = "这是" + found.name + "的密码，正在打开" + found.name + "……";
        else msg.textContent = window.decryption_failure_message;
      });
    }).observe(msg, { childList: true, characterData: true, subtree: true });
  }

  document.addEventListener("click", captureTyped, true);
  document.addEventListener("keypress", captureTyped, true);
  window.addEventListener("encryptcontent_event", function () {
    // a password typed here opened this page: the site's other locked tabs may now ask for the keys
    if (typed !== null && keys && !document.getElementById("mkdocs-encrypted-content")) keys.unlocked();
    typed = null;
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchRefusal);
  } else {
    watchRefusal();
  }
})();
