// Return form: show one empty comment box at a time; "Thêm ý kiến" reveals the next one.
// Without JavaScript every box stays visible, so nothing depends on this script.
(function () {
  "use strict";
  const form = document.getElementById("return-form");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll(".comment-row"));
  const isEmpty = (row) => !row.querySelector("textarea").value.trim();
  // Keep every row that has text (e.g. after a refused submission) and the first empty one.
  let shownEmpty = false;
  rows.forEach((row) => {
    if (isEmpty(row)) {
      if (shownEmpty) row.hidden = true;
      shownEmpty = true;
    }
  });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-sm btn-outline-secondary mb-2";
  button.id = "add-comment";
  button.textContent = "Thêm ý kiến";
  const update = () => {
    button.hidden = !rows.some((row) => row.hidden);
  };
  button.addEventListener("click", () => {
    const next = rows.find((row) => row.hidden);
    if (next) {
      next.hidden = false;
      next.querySelector("textarea").focus();
    }
    update();
  });
  rows[rows.length - 1].after(button);
  update();
})();
