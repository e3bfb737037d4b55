/*
 * The report entry page (templates/reports/report_form.html).
 *
 * The server does the work: a small POST to the check endpoint (debounced) answers with the
 * classes to put on inputs, the totals and rates to show, and HTML fragments (findings,
 * explanations, generated paragraphs) rendered by the page's template partials; this script only
 * puts them in place, without reloading the page. Drafts are saved every 20 seconds when something
 * changed and when a changed field loses focus; a 409 means someone else saved first: the conflict
 * banner appears and autosave stops. Inputs pre-filled from last period lose their mark when edited.
 */
(() => {
  "use strict";

  const form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  const CHECK_DELAY_MS = 400;
  const AUTOSAVE_EVERY_MS = 20000;
  const FIGURE_FIELD = /^(results|agencies|directives|values)-/;
  const MARKS = ["finding-error", "finding-warning", "is-invalid"];
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const versionInput = form.querySelector("input[name=version]");
  const statusBox = document.getElementById("autosave-status");

  let changes = 0; // bumped on every edit
  let savedChanges = 0; // the value of `changes` the last save or refusal covered
  let saving = false;
  let conflicted = false;
  let submitting = false;
  let submitAfterSave = false;
  let checkTimer = null;
  let checkSequence = 0;

  const field = (name) => form.querySelector(`[name="${CSS.escape(name)}"]`);
  const setStatus = (text) => (statusBox.textContent = text);

  // --- What the server sent ------------------------------------------------------------------

  function swap(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    holder.content.querySelectorAll("template[data-swap]").forEach((part) => {
      const target = document.getElementById(part.dataset.swap);
      // An explanation being typed in stays as it is (the next check brings the box up to date),
      // and text typed while the request was on its way is kept.
      if (target && !(target.id === "explanations" && target.contains(document.activeElement))) {
        const typed = new Map([...target.querySelectorAll("textarea")].map((area) => [area.name, area.value]));
        target.replaceChildren(part.content);
        target.querySelectorAll("textarea").forEach((area) => (area.value = typed.get(area.name) ?? area.value));
      }
    });
  }

  function showTotals(totals) {
    form.querySelectorAll("output[data-total]").forEach((output) => {
      output.textContent = totals.total[output.dataset.total] ?? "";
    });
    form.querySelectorAll("output[data-row-total]").forEach((output) => {
      const row = totals.rows[output.closest("tr").dataset.prefix] || {};
      output.textContent = row[output.dataset.rowTotal] ?? "";
    });
  }

  function showRates(rates) {
    Object.entries(rates).forEach(([key, rate]) => {
      const input = field("values-" + key);
      if (!input) {
        return;
      }
      const computed = rate.source === "computed";
      if (computed && !input.readOnly) {
        input.dataset.typed = input.value; // given back if the rate can no longer be computed
      }
      if (computed || input.readOnly) {
        input.value = computed ? rate.display : input.dataset.typed || "";
      }
      input.readOnly = computed;
      input.classList.toggle("computed-rate", computed);
      input.title = computed ? "Tính tự động từ số liệu" : "";
    });
  }

  function apply(body) {
    form.querySelectorAll(MARKS.map((mark) => "." + mark).join(",")).forEach((el) => el.classList.remove(...MARKS));
    Object.entries(body.marks || {}).forEach(([name, mark]) => field(name)?.classList.add(mark));
    form.querySelectorAll("[data-findings-slot]").forEach((slot) => slot.replaceChildren());
    swap(body.html || "");
    body.totals && showTotals(body.totals);
    body.rates && showRates(body.rates);
  }

  // --- Requests --------------------------------------------------------------------------------

  async function post(url) {
    const response = await fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    });
    return { status: response.status, body: await response.json() };
  }

  function scheduleCheck() {
    window.clearTimeout(checkTimer);
    // A newer check makes the answers of older ones stale, even those already on their way.
    const sequence = ++checkSequence;
    form.dataset.checking = "true";
    checkTimer = window.setTimeout(() => runCheck(sequence), CHECK_DELAY_MS);
  }

  async function runCheck(sequence) {
    try {
      const { status, body } = await post(form.dataset.checkUrl);
      if (sequence === checkSequence && (status === 200 || status === 400)) {
        apply(body);
      }
    } catch {
      setStatus("Không kiểm tra được số liệu (mất kết nối?).");
    } finally {
      if (sequence === checkSequence) {
        form.dataset.checking = "false";
      }
    }
  }

  function showConflict(body) {
    conflicted = true;
    swap(body.html);
    // The next manual save names the stored version, so it overwrites deliberately.
    versionInput.value = body.version;
    setStatus("Đã dừng tự động lưu vì báo cáo vừa được người khác lưu.");
    const banner = document.getElementById("conflict-banner");
    banner.classList.remove("d-none");
    banner.scrollIntoView({ block: "start" });
  }

  async function autosave() {
    if (conflicted || saving || submitting || changes === savedChanges) {
      return;
    }
    saving = true;
    const covered = changes;
    setStatus("Đang lưu bản nháp…");
    try {
      const { status, body } = await post(form.dataset.autosaveUrl);
      if (status === 200) {
        versionInput.value = body.version;
        savedChanges = covered;
        setStatus(`Đã tự động lưu lúc ${new Date(body.saved_at).toLocaleTimeString("vi-VN")}.`);
        if (covered === changes) {
          apply(body);
        }
      } else if (status === 409) {
        showConflict(body);
      } else if (status === 400) {
        savedChanges = covered; // wait for the next edit rather than resending the same mistake
        apply(body);
        setStatus("Chưa tự động lưu được: có ô nhập chưa đúng.");
      } else {
        setStatus("Chưa tự động lưu được; sẽ thử lại.");
      }
    } catch {
      setStatus("Mất kết nối, chưa tự động lưu được; sẽ thử lại.");
    } finally {
      saving = false;
      if (submitAfterSave) {
        submitAfterSave = false;
        submitting = true;
        form.submit();
      }
    }
  }

  // --- Events ----------------------------------------------------------------------------------

  function edited(target) {
    changes += 1;
    target.classList.remove("prefilled");
    if (FIGURE_FIELD.test(target.name || "")) {
      scheduleCheck();
    }
  }

  form.addEventListener("input", (event) => edited(event.target));

  form.addEventListener("change", ({ target }) => {
    if (target.tagName === "SELECT" || target.type === "checkbox" || target.type === "date") {
      edited(target);
    }
  });

  form.addEventListener("focusout", () => {
    if (changes !== savedChanges) {
      window.setTimeout(autosave, 0);
    }
  });

  form.addEventListener("keydown", (event) => {
    const { target } = event;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || target.type === "submit") {
      return;
    }
    // Enter never submits from a cell: it moves down to the same column, as in a spreadsheet.
    event.preventDefault();
    const cell = target.closest("td");
    let next = target.closest("tr[data-row]")?.nextElementSibling;
    while (next && !next.matches("tr[data-row]")) {
      next = next.nextElementSibling;
    }
    const input = cell && next?.cells[cell.cellIndex]?.querySelector("input, select");
    input?.focus();
    input?.select?.();
  });

  form.querySelectorAll("[data-add-row]").forEach((button) => {
    button.addEventListener("click", () => {
      const prefix = button.dataset.addRow;
      const total = field(prefix + "-TOTAL_FORMS");
      const template = document.getElementById(prefix + "-empty");
      const body = document.getElementById(prefix + "-rows");
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, total.value));
      total.value = String(Number(total.value) + 1);
      [...body.querySelectorAll("tr[data-row]")].pop().querySelector("input, select")?.focus();
      changes += 1;
      scheduleCheck();
    });
  });

  form.addEventListener("submit", (event) => {
    if (saving) {
      // Let the autosave in flight finish first, so the save does not conflict with ourselves.
      event.preventDefault();
      submitAfterSave = true;
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && changes !== savedChanges) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.setInterval(autosave, AUTOSAVE_EVERY_MS);
  apply(JSON.parse(document.getElementById("initial-check").textContent));
  form.dataset.checking = "false";
  form.dataset.ready = "true";
})();
