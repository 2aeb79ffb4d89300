// Light progressive enhancement for the staff area; every page works without it.
"use strict";
(function () {
  // Ask before publishing or restoring (forms marked data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A problem's "line N" link selects that line in the YAML editor.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    var editor = document.getElementById("yaml");
    if (!link || !editor) {
      return;
    }
    event.preventDefault();
    var line = parseInt(link.getAttribute("data-line"), 10);
    var lines = editor.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      start += lines[i].length + 1;
    }
    var end = start + (lines[line - 1] || "").length;
    editor.focus();
    editor.setSelectionRange(start, end);
    var height = editor.scrollHeight / Math.max(lines.length, 1);
    editor.scrollTop = Math.max(0, (line - 5) * height);
  });
  // Translation editor: placeholders and the channel's length limit, checked as you type.
  function placeholders(text) {
    var found = text.match(/\{[a-z_][a-z0-9_]*\}/g) || [];
    return found.sort();
  }
  function checkTranslation(area) {
    var out = area.parentNode.querySelector(".check");
    if (!out) {
      return;
    }
    var wanted = placeholders(area.getAttribute("data-english") || "");
    var got = placeholders(area.value);
    var notes = [];
    wanted.forEach(function (name) {
      if (got.indexOf(name) < 0) {
        notes.push("missing " + name);
      }
    });
    got.forEach(function (name) {
      if (wanted.indexOf(name) < 0) {
        notes.push("not in the English: " + name);
      }
    });
    var limit = parseInt(area.getAttribute("data-limit") || "0", 10);
    var length = Array.from(area.value).length;
    if (limit && length > limit) {
      notes.push(length + " of " + limit + " characters: too long");
    } else if (limit) {
      notes.push(length + " of " + limit + " characters");
    }
    out.textContent = notes.join(" · ") || "placeholders kept";
    out.classList.toggle("bad", notes.some(function (n) {
      return n.indexOf("missing") === 0 || n.indexOf("not in") === 0 || n.indexOf("too long") > 0;
    }));
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-english]")) {
      checkTranslation(event.target);
    }
  });
})();
