// Putokaz web chat: renders replies from /api/chat; typed text never leaves the page.
"use strict";
(function () {
  var chat = document.getElementById("chat");
  var exitUrl = document.body.getAttribute("data-exit-url") || "about:blank";
  var NAV = { hotline: 1, back: 1, menu: 1, exit: 1 };

  function quickExit() {
    chat.textContent = "";
    document.title = "";
    try { navigator.sendBeacon && navigator.sendBeacon("/api/chat", new Blob([JSON.stringify({ action: "exit" })], { type: "application/json" })); } catch (e) { /* leave anyway */ }
    document.body.textContent = "";
    window.location.replace(exitUrl);
  }

  function send(body) {
    return fetch("/api/chat", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) { return r.json(); }).then(show);
  }

  function clearButtons() {
    var old = chat.querySelectorAll(".buttons");
    for (var i = 0; i < old.length; i++) old[i].remove();
  }

  function show(reply) {
    if (reply.effects && reply.effects.indexOf("quick_exit") >= 0) { quickExit(); return; }
    clearButtons();
    var lang = reply.language || "en", dir = reply.direction || "ltr";
    document.documentElement.lang = lang;
    (reply.notices || []).forEach(function (n) {
      var p = document.createElement("p"); p.className = "notice"; p.lang = lang; p.dir = dir; p.textContent = n; chat.appendChild(p);
    });
    (reply.messages || []).forEach(function (m) {
      var div = document.createElement("div");
      div.className = "msg"; div.lang = lang; div.dir = dir; div.textContent = m.text;
      div.setAttribute("data-node", reply.node || "");
      chat.appendChild(div);
      if (m.buttons && m.buttons.length) chat.appendChild(buttons(m.buttons, reply, lang, dir));
    });
    relabelQuickExit(reply, lang, dir);
    var input = document.getElementById("typed-input");
    if (reply.input_label) { input.placeholder = reply.input_label; input.setAttribute("aria-label", reply.input_label); }
    input.lang = lang; input.dir = dir;
    var last = chat.querySelector(".buttons button, .buttons a");
    window.scrollTo(0, document.body.scrollHeight);
    if (last && document.activeElement === document.body) last.focus({ preventScroll: true });
  }

  // The header's quick exit speaks the person's language, like the footer button.
  function relabelQuickExit(reply, lang, dir) {
    var exit = null;
    (reply.messages || []).forEach(function (m) {
      (m.buttons || []).forEach(function (b) { if (b.id === "exit") exit = b; });
    });
    if (!exit) return;
    var header = document.getElementById("quick-exit");
    header.firstChild.textContent = exit.label + " ";
    header.lang = lang; header.dir = dir;
  }

  function buttons(list, reply, lang, dir) {
    var box = document.createElement("div");
    box.className = "buttons"; box.lang = lang; box.dir = dir;
    list.forEach(function (b) {
      var el;
      if (b.url) { el = document.createElement("a"); el.href = b.url; el.rel = "noreferrer"; }
      else {
        el = document.createElement("button"); el.type = "button";
        el.addEventListener("click", function () {
          if (b.id === "exit") { quickExit(); return; }
          send({ action: "choose", option: b.id, node: reply.node });
        });
      }
      el.textContent = b.label;
      el.setAttribute("data-option", b.id);
      if (NAV[b.id]) el.className = "nav";
      box.appendChild(el);
    });
    return box;
  }

  document.getElementById("quick-exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") quickExit(); });
  document.getElementById("typed").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("typed-input");
    input.value = "";
    send({ action: "text" });
  });
  var params = new URLSearchParams(window.location.search);
  // The escalation link's topic should not stay readable in the address bar or history.
  if (window.location.search) window.history.replaceState(null, "", window.location.pathname);
  send({ action: "start", payload: params.get("start") || null });
})();
