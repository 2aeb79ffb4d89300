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
})();
