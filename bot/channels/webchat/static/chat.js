// Putokaz web chat: the server renders each screen (it works without JavaScript);
// this script posts taps as JSON and draws the reply in place. Typed text never leaves the page.
"use strict";
(function () {
  var root = document.documentElement;
  var chat = document.getElementById("chat");
  var body = document.body;
  var exitUrl = body.getAttribute("data-exit-url") || "about:blank";
  var labels = document.getElementById("labels");
  var offline = document.getElementById("offline");
  var input = document.getElementById("typed-input");
  var notice = document.getElementById("typed-notice");
  var NAV = { hotline: 1, back: 1, menu: 1, exit: 1 };
  var NUMBER = /\u2066[^\u2069]*\u2069|\+?\d[\d \u00a0]{4,}\d/g;
  var SIZES = ["-1", "0", "1", "2", "3"];
  var TAB = "putokaz-tab", SIZE = "putokaz-size";
  var busy = false, lastBody = null, ended = false;
  // Self-check questions are never stored on the server: the way back lives only here.
  var trail = [];
  var channel = null;
  root.className += " js";

  function store(kind) { try { return window[kind]; } catch (e) { return null; } }

  // --- leaving: quick exit here clears every open tab of the chat, and the server session
  function wipe() {
    chat.textContent = "";
    document.title = "";
    body.textContent = "";
  }
  function leave() { wipe(); window.location.replace(exitUrl); }
  function quickExit() {
    tell("exit");
    try {
      if (navigator.sendBeacon) navigator.sendBeacon("/api/chat", new Blob([JSON.stringify({ action: "exit" })], { type: "application/json" }));
    } catch (e) { /* leave anyway */ }
    leave();
  }
  function tell(what) {
    try { if (channel) channel.postMessage(what); } catch (e) { /* other tabs may stay */ }
    var local = store("localStorage");
    // The storage event reaches tabs of browsers without BroadcastChannel; the key is removed at once.
    try { if (local) { local.setItem("putokaz-signal", what + ":" + Date.now()); local.removeItem("putokaz-signal"); } } catch (e) { /* ignore */ }
  }
  function heard(what) {
    if (what === "exit") leave();
    else if (what === "forget") { wipe(); window.location.replace("/"); }
  }
  if (window.BroadcastChannel) {
    channel = new BroadcastChannel("putokaz");
    channel.onmessage = function (e) { heard(e.data); };
  }
  window.addEventListener("storage", function (e) {
    if (e.key === "putokaz-signal" && e.newValue) heard(e.newValue.split(":")[0]);
  });

  // --- talking to the server
  function send(request, chosen) {
    if (busy) return;
    busy = true;
    lastBody = { request: request, chosen: chosen };
    body.classList.add("busy");
    fetch("/api/chat", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(request)
    }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    }).then(function (reply) {
      busy = false; body.classList.remove("busy");
      offline.hidden = true;
      if (request.action === "text") { showTyped(reply); return; }
      if (reply.previous) trail.push(reply.previous);
      else if (!request.previous) trail = [];
      show(reply, chosen);
    }).catch(function () {
      busy = false; body.classList.remove("busy");
      var pressed = chat.querySelectorAll(".chosen");
      for (var i = 0; i < pressed.length; i++) pressed[i].classList.remove("chosen");
      offline.hidden = false;
      document.getElementById("retry").focus({ preventScroll: true });
    });
  }

  function showTyped(reply) {
    notice.lang = reply.language || root.lang;
    notice.textContent = (reply.notices || [])[0] || "";
  }

  // --- drawing a screen: it starts at its first line, just below the header
  function show(reply, chosen) {
    var effects = reply.effects || [];
    var before = chat.querySelector(".screen");
    var was = before ? before.getAttribute("data-node") : "";
    if (effects.indexOf("quick_exit") >= 0) { quickExit(); return; }
    // Forget clears the page like quick exit (and every other tab); the language stays.
    if (effects.indexOf("forget") >= 0) { tell("forget"); ended = true; } else ended = false;
    var lang = reply.language || "en", dir = reply.direction || "ltr";
    root.lang = lang; root.dir = dir;
    relabel(reply.labels || {});
    notice.textContent = "";
    chat.textContent = "";
    var screen = element("section", "screen");
    screen.setAttribute("data-node", reply.node || "");
    screen.setAttribute("data-screen", String(reply.screen || 0));
    if (chosen && !ended && reply.node !== was) {
      var echo = element("p", "echo"); var span = element("span", "");
      span.textContent = chosen; echo.appendChild(span); screen.appendChild(echo);
    }
    (reply.notices || []).forEach(function (n) {
      var p = element("p", "notice"); p.textContent = n; screen.appendChild(p);
    });
    (reply.messages || []).forEach(function (m) {
      var div = element("div", "msg");
      richText(div, m.text, reply.code);
      screen.appendChild(div);
      if (m.buttons && m.buttons.length) screen.appendChild(buttons(m.buttons, reply));
    });
    chat.appendChild(screen);
    enhance(screen);
    window.scrollTo(0, 0);
    var first = screen.querySelector(".msg");
    if (first) { first.tabIndex = -1; first.focus({ preventScroll: true }); }
  }

  function element(tag, cls) { var el = document.createElement(tag); if (cls) el.className = cls; return el; }

  // Paragraphs as text; numbers whole and left-to-right; the hand-off code large on its own line.
  function richText(box, text, code) {
    var paragraphs = String(text || "").split("\n\n");
    paragraphs.forEach(function (para, i) {
      var p = element("p", "");
      var at = 0, match;
      NUMBER.lastIndex = 0;
      while ((match = NUMBER.exec(para)) !== null) {
        p.appendChild(document.createTextNode(para.slice(at, match.index)));
        var bdi = element("bdi", "num");
        bdi.textContent = match[0].replace(/[\u2066\u2069]/g, "").replace(/ /g, "\u00a0");
        p.appendChild(bdi);
        at = match.index + match[0].length;
      }
      p.appendChild(document.createTextNode(para.slice(at)));
      box.appendChild(p);
      if (code && para.indexOf(code) >= 0) {
        var block = element("div", "code"); var big = element("bdi", "num");
        big.textContent = code; block.appendChild(big); box.appendChild(block);
      }
    });
  }

  // The hand-off code gets a copy button (the server draws the code alone).
  function enhance(screen) {
    var blocks = screen.querySelectorAll(".code");
    for (var i = 0; i < blocks.length; i++) {
      if (!blocks[i].querySelector(".copy")) blocks[i].appendChild(copyButton(blocks[i].textContent));
    }
  }

  function copyButton(code) {
    var copy = element("button", "copy"); copy.type = "button";
    copy.textContent = labels.getAttribute("data-copy");
    copy.addEventListener("click", function () {
      var done = function () {
        copy.textContent = labels.getAttribute("data-copied");
        setTimeout(function () { copy.textContent = labels.getAttribute("data-copy"); }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code).then(done, function () {});
    });
    return copy;
  }

  function buttons(list, reply) {
    var form = element("form", "buttons");
    form.method = "post"; form.action = "/chat";
    hidden(form, "action", ended ? "start" : "choose"); hidden(form, "node", reply.node || "");
    hidden(form, "screen", String(reply.screen || 0)); hidden(form, "language", reply.language || "");
    if (trail.length) hidden(form, "previous", trail[trail.length - 1]);
    list.forEach(function (b) {
      var el;
      if (b.url) { el = element("a", ""); el.href = b.url; el.rel = "noreferrer"; }
      else { el = element("button", ""); el.type = "submit"; el.name = "option"; el.value = b.id; }
      el.textContent = b.label;
      el.setAttribute("data-option", b.id);
      if (NAV[b.id]) el.className = "nav";
      form.appendChild(el);
    });
    return form;
  }
  function hidden(form, name, value) {
    var el = element("input", ""); el.type = "hidden"; el.name = name; el.value = value; form.appendChild(el);
  }

  // Every label of the page in the person's language (the server sends them with each reply).
  function relabel(l) {
    if (l.exit) document.querySelector("#quick-exit .exit-label").textContent = l.exit;
    if (l.input) { input.placeholder = l.input; input.setAttribute("aria-label", l.input); }
    if (l.send) document.querySelector(".send").setAttribute("aria-label", l.send);
    if (l.offline) document.querySelector(".offline-text").textContent = l.offline;
    if (l.retry) document.getElementById("retry").textContent = l.retry;
    if (l.copy) labels.setAttribute("data-copy", l.copy);
    if (l.copied) labels.setAttribute("data-copied", l.copied);
    [["text-larger", l.larger], ["text-smaller", l.smaller]].forEach(function (pair) {
      if (!pair[1]) return;
      var b = document.getElementById(pair[0]); b.setAttribute("aria-label", pair[1]); b.title = pair[1];
    });
  }

  // --- taps: ignored while a reply is pending; the chosen button is echoed
  document.addEventListener("submit", function (e) {
    var form = e.target;
    e.preventDefault();
    if (form.id === "typed") {
      input.value = "";
      send({ action: "text" });
      return;
    }
    if (form.classList.contains("exit-form")) { quickExit(); return; }
    var button = e.submitter;
    if (busy || !button || !button.value) return;
    if (button.value === "exit") { quickExit(); return; }
    button.classList.add("chosen");
    if (form.elements.action && form.elements.action.value === "start") {
      // After Forget: start again, in the language the page was showing.
      send({ action: "start", language: form.elements.language.value }, button.textContent);
      return;
    }
    var request = {
      action: "choose", option: button.value,
      node: form.elements.node ? form.elements.node.value : null,
      screen: form.elements.screen ? Number(form.elements.screen.value) : null
    };
    if (button.value === "back" && form.elements.previous) {
      request.previous = form.elements.previous.value;
      trail.pop();
    }
    send(request, button.textContent);
  });
  document.getElementById("retry").addEventListener("click", function () {
    if (lastBody) send(lastBody.request, lastBody.chosen);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") quickExit(); });

  // --- text size, remembered only for this tab
  function applySize(step) {
    SIZES.forEach(function (s) { root.classList.remove("size-" + s); });
    if (step !== "0") root.classList.add("size-" + step);
    var session = store("sessionStorage");
    try { if (session) session.setItem(SIZE, step); } catch (e) { /* ignore */ }
  }
  function stepSize(delta) {
    var session = store("sessionStorage");
    var now = (session && session.getItem(SIZE)) || "0";
    var at = Math.min(SIZES.length - 1, Math.max(0, SIZES.indexOf(now) + delta));
    applySize(SIZES[at]);
  }
  document.querySelector(".size").hidden = false;
  document.getElementById("text-larger").addEventListener("click", function () { stepSize(1); });
  document.getElementById("text-smaller").addEventListener("click", function () { stepSize(-1); });
  var tabStore = store("sessionStorage");
  if (tabStore && tabStore.getItem(SIZE)) applySize(tabStore.getItem(SIZE));

  // --- opening: a new tab starts at the neutral first screen
  var known = false;
  try { known = !!(tabStore && tabStore.getItem(TAB)); if (tabStore) tabStore.setItem(TAB, "1"); } catch (e) { /* ignore */ }
  if (window.location.search) window.history.replaceState(null, "", window.location.pathname);
  var drawn = chat.querySelector(".screen");
  var sentBack = drawn && drawn.querySelector("input[name=previous]");
  if (sentBack) trail = [sentBack.value];
  if (drawn) enhance(drawn);
  if (!drawn) send({ action: "start", fresh: !known });
  else if (!known && body.getAttribute("data-resume") === "1") {
    chat.textContent = "";
    send({ action: "start", fresh: true });
  }
})();
