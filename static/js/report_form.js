/*
 * The report entry page (templates/reports/report_form.html).
 *
 * - Row and column totals of the results table are recomputed as the officer types (display
 *   only; the server's reports/figures.py stays the only definition of every number).
 * - A small POST to the check endpoint (debounced) returns the findings, rates and generated
 *   paragraphs; they are shown next to the inputs they concern, without reloading the page.
 * - Drafts are saved every 20 seconds when something changed and when a changed field loses
 *   focus; a 409 means someone else saved first: the conflict banner appears and autosave stops.
 * - Inputs pre-filled from last period keep the "prefilled" class until edited.
 */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var CHECK_DELAY_MS = 400;
  var AUTOSAVE_EVERY_MS = 20000;
  var COLUMNS = ["online", "direct", "carried_over", "early", "on_time", "overdue", "pending_on_time", "pending_overdue"];
  var FIGURE_PREFIXES = ["results-", "agencies-", "directives-", "values-"];

  var checkUrl = form.dataset.checkUrl;
  var autosaveUrl = form.dataset.autosaveUrl;
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var versionInput = form.querySelector("input[name=version]");
  var statusBox = document.getElementById("autosave-status");

  var changes = 0; // bumped on every edit
  var savedChanges = 0; // the value of `changes` the last save or refusal covered
  var saving = false;
  var conflicted = false;
  var submitting = false;
  var submitAfterSave = false;
  var checkTimer = null;
  var checkSequence = 0;

  // --- Numbers (display only) ---------------------------------------------------------------

  function parseCount(text) {
    var compact = String(text || "").replace(/\s/g, "");
    if (compact === "") {
      return 0;
    }
    // "1.909" is how 1909 is written in Vietnamese.
    var digits = /^\d{1,3}(\.\d{3})+$/.test(compact) ? compact.replace(/\./g, "") : compact;
    return /^\d{1,12}$/.test(digits) ? Number(digits) : NaN;
  }

  function formatCount(number) {
    if (!Number.isFinite(number)) {
      return "?";
    }
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function rowInput(row, column) {
    return row.querySelector('[name$="-' + column + '"]');
  }

  function recomputeTotals() {
    var sums = {};
    COLUMNS.forEach(function (column) {
      sums[column] = 0;
    });
    form.querySelectorAll('#results-rows tr[data-row="results"]').forEach(function (row) {
      var values = {};
      COLUMNS.forEach(function (column) {
        var input = rowInput(row, column);
        values[column] = input ? parseCount(input.value) : 0;
      });
      var totals = {
        received: values.online + values.direct + values.carried_over,
        resolved: values.early + values.on_time + values.overdue,
        in_progress: values.pending_on_time + values.pending_overdue
      };
      Object.keys(totals).forEach(function (name) {
        var output = row.querySelector('[data-row-total="' + name + '"]');
        if (output) {
          output.textContent = formatCount(totals[name]);
        }
      });
      if (!row.classList.contains("row-deleted")) {
        COLUMNS.forEach(function (column) {
          sums[column] += values[column];
        });
      }
    });
    sums.received = sums.online + sums.direct + sums.carried_over;
    sums.resolved = sums.early + sums.on_time + sums.overdue;
    sums.in_progress = sums.pending_on_time + sums.pending_overdue;
    Object.keys(sums).forEach(function (name) {
      var output = form.querySelector('[data-total="' + name + '"]');
      if (output) {
        output.textContent = formatCount(sums[name]);
      }
    });
  }

  // --- Findings, errors, rates, generated paragraphs -----------------------------------------

  function slotFor(input) {
    var host = input.closest("[data-findings-host]");
    return host ? document.getElementById(host.dataset.findingsHost) : null;
  }

  function fieldByName(name) {
    var field = form.elements.namedItem(name);
    return field instanceof Element ? field : null;
  }

  function clearMarks(removeServerErrors) {
    form.querySelectorAll(".finding-error, .finding-warning").forEach(function (el) {
      el.classList.remove("finding-error", "finding-warning");
    });
    form.querySelectorAll(".finding-message").forEach(function (el) {
      el.remove();
    });
    if (removeServerErrors) {
      form.querySelectorAll(".server-error").forEach(function (el) {
        el.remove();
      });
      form.querySelectorAll(".is-invalid").forEach(function (el) {
        el.classList.remove("is-invalid");
      });
    }
  }

  function addMessage(slot, text, cssClass) {
    var line = document.createElement("div");
    line.className = "finding-message small " + cssClass;
    line.textContent = text;
    slot.appendChild(line);
  }

  function renderSummary(items) {
    var list = document.getElementById("findings-list");
    list.textContent = "";
    if (!items.length) {
      var ok = document.createElement("p");
      ok.className = "text-success small mb-0";
      ok.id = "findings-ok";
      ok.textContent = "Số liệu khớp, không có cảnh báo.";
      list.appendChild(ok);
      return;
    }
    items.forEach(function (item) {
      var line = document.createElement("div");
      line.className = "finding small mb-1 " + item.cssClass;
      if (item.code) {
        line.dataset.code = item.code;
      }
      line.textContent = item.text;
      list.appendChild(line);
    });
  }

  function showFindings(findings) {
    findings.forEach(function (finding) {
      var isError = finding.severity === "error";
      var markClass = isError ? "finding-error" : "finding-warning";
      var textClass = isError ? "check-error" : "check-warning";
      var slots = [];
      finding.fields.forEach(function (name) {
        var input = fieldByName(name);
        if (!input) {
          return;
        }
        input.classList.add(markClass);
        var slot = slotFor(input);
        if (slot && slots.indexOf(slot) === -1) {
          slots.push(slot);
        }
      });
      slots.forEach(function (slot) {
        addMessage(slot, finding.message, textClass);
      });
    });
    renderSummary(
      findings.map(function (finding) {
        return {
          code: finding.code,
          text: finding.message,
          cssClass: finding.severity === "error" ? "check-error" : "check-warning"
        };
      })
    );
    updateExplanations(findings);
  }

  function showErrors(errors) {
    clearMarks(true);
    errors.forEach(function (error) {
      var input = error.field ? fieldByName(error.field) : null;
      if (input) {
        input.classList.add("is-invalid");
        var slot = slotFor(input);
        if (slot) {
          addMessage(slot, error.message, "check-error");
        }
      }
    });
    renderSummary(
      errors.map(function (error) {
        return { code: "", text: (error.label ? error.label + ": " : "") + error.message, cssClass: "check-error" };
      })
    );
  }

  function updateExplanations(findings) {
    var box = document.getElementById("explanations");
    var wanted = new Map();
    findings.forEach(function (finding) {
      if (finding.needs_explanation && !wanted.has(finding.code)) {
        wanted.set(finding.code, finding.message);
      }
    });
    var existing = new Map();
    box.querySelectorAll(".explanation").forEach(function (el) {
      existing.set(el.dataset.code, el);
    });
    // Existing boxes are updated in place, so the text and the cursor of a box being typed in stay.
    existing.forEach(function (el, code) {
      if (wanted.has(code)) {
        return;
      }
      if (el.querySelector("textarea").value.trim()) {
        el.querySelector(".explanation-message").textContent = "(cảnh báo này hiện không còn)";
      } else {
        el.remove();
      }
    });
    wanted.forEach(function (message, code) {
      var el = existing.get(code);
      if (!el) {
        el = document.createElement("div");
        el.className = "explanation mb-2";
        el.dataset.code = code;
        var label = document.createElement("label");
        label.className = "form-label small";
        label.htmlFor = "id-explanation." + code;
        label.appendChild(document.createTextNode("Giải trình: "));
        var span = document.createElement("span");
        span.className = "explanation-message";
        label.appendChild(span);
        var area = document.createElement("textarea");
        area.className = "form-control form-control-sm";
        area.rows = 3;
        area.name = "explanation." + code;
        area.id = "id-explanation." + code;
        el.appendChild(label);
        el.appendChild(area);
        box.appendChild(el);
      }
      el.querySelector(".explanation-message").textContent = message;
    });
  }

  function showRates(rates) {
    Object.keys(rates).forEach(function (key) {
      var input = fieldByName("values-" + key);
      if (!input) {
        return;
      }
      var rate = rates[key];
      if (rate.source === "computed") {
        if (!input.readOnly) {
          input.dataset.typed = input.value;
        }
        input.readOnly = true;
        input.value = rate.display;
        input.classList.add("computed-rate");
        input.title = "Tính tự động từ số liệu";
      } else if (input.readOnly) {
        input.readOnly = false;
        input.value = input.dataset.typed || "";
        input.classList.remove("computed-rate");
        input.title = "";
      }
    });
  }

  function showGenerated(generated) {
    Object.keys(generated).forEach(function (key) {
      var box = form.querySelector('[data-generated="' + CSS.escape(key) + '"] .generated-text');
      if (!box) {
        return;
      }
      box.textContent = "";
      generated[key].forEach(function (paragraph) {
        var p = document.createElement("p");
        paragraph.forEach(function (span) {
          var node = span.bold ? document.createElement("strong") : document.createTextNode(span.text);
          if (span.bold) {
            node.textContent = span.text;
          }
          p.appendChild(node);
        });
        box.appendChild(p);
      });
    });
  }

  function applyCheck(data, fromServer) {
    clearMarks(fromServer);
    showFindings(data.findings || []);
    showRates(data.rates || {});
    showGenerated(data.generated || {});
  }

  // --- Requests --------------------------------------------------------------------------------

  function post(url) {
    return fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" }
    });
  }

  function scheduleCheck() {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(runCheck, CHECK_DELAY_MS);
  }

  function runCheck() {
    var sequence = ++checkSequence;
    form.dataset.checking = "true";
    post(checkUrl)
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (sequence !== checkSequence) {
          return; // a newer check is on its way
        }
        if (result.status === 200) {
          applyCheck(result.body, true);
        } else if (result.status === 400) {
          showErrors(result.body.errors || []);
        }
      })
      .catch(function () {
        setStatus("Không kiểm tra được số liệu (mất kết nối?).");
      })
      .finally(function () {
        if (sequence === checkSequence) {
          form.dataset.checking = "false";
        }
      });
  }

  function setStatus(text) {
    statusBox.textContent = text;
  }

  function timeText(iso) {
    var when = new Date(iso);
    return isNaN(when.getTime()) ? "" : when.toLocaleTimeString("vi-VN");
  }

  function showConflict(body) {
    conflicted = true;
    var banner = document.getElementById("conflict-banner");
    document.getElementById("conflict-message").textContent = body.message;
    var rows = document.getElementById("conflict-differences");
    rows.textContent = "";
    (body.differences || []).forEach(function (difference) {
      var tr = document.createElement("tr");
      [difference.label, difference.mine, difference.stored].forEach(function (text, index) {
        var td = document.createElement("td");
        td.textContent = text;
        if (index > 0) {
          td.className = "conflict-text";
        }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    banner.classList.remove("d-none");
    // The next manual save names the stored version, so it overwrites deliberately.
    versionInput.value = body.version;
    setStatus("Đã dừng tự động lưu vì báo cáo vừa được người khác lưu.");
    banner.scrollIntoView({ block: "start" });
  }

  function autosave() {
    if (conflicted || saving || submitting || changes === savedChanges) {
      return;
    }
    saving = true;
    var covered = changes;
    setStatus("Đang lưu bản nháp…");
    post(autosaveUrl)
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.status === 200) {
          versionInput.value = result.body.version;
          savedChanges = covered;
          setStatus("Đã tự động lưu lúc " + timeText(result.body.saved_at) + ".");
          if (covered === changes) {
            applyCheck(result.body, true);
          }
        } else if (result.status === 409) {
          showConflict(result.body);
        } else if (result.status === 400) {
          // Wait for the next edit rather than resending the same mistake.
          savedChanges = covered;
          showErrors(result.body.errors || []);
          setStatus("Chưa tự động lưu được: có ô nhập chưa đúng.");
        } else {
          setStatus("Chưa tự động lưu được; sẽ thử lại.");
        }
      })
      .catch(function () {
        setStatus("Mất kết nối, chưa tự động lưu được; sẽ thử lại.");
      })
      .finally(function () {
        saving = false;
        if (submitAfterSave) {
          submitAfterSave = false;
          submitting = true;
          form.submit();
        }
      });
  }

  // --- Events ----------------------------------------------------------------------------------

  function isFigureField(target) {
    var name = target.name || "";
    return FIGURE_PREFIXES.some(function (prefix) {
      return name.indexOf(prefix) === 0;
    });
  }

  function edited(target) {
    changes += 1;
    target.classList.remove("prefilled");
    if (isFigureField(target)) {
      recomputeTotals();
      scheduleCheck();
    }
  }

  form.addEventListener("input", function (event) {
    edited(event.target);
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-delete-row]")) {
      var row = target.closest("tr");
      row.classList.toggle("row-deleted", target.checked);
    }
    if (target.tagName === "SELECT" || target.type === "checkbox" || target.type === "date") {
      edited(target);
    }
  });

  form.addEventListener("focusout", function () {
    if (changes !== savedChanges) {
      window.setTimeout(autosave, 0);
    }
  });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || target.type === "submit") {
      return;
    }
    // Enter never submits from a cell: it moves down to the same column, as in a spreadsheet.
    event.preventDefault();
    var row = target.closest("tr[data-row]");
    var cell = target.closest("td");
    if (!row || !cell) {
      return;
    }
    var next = row.nextElementSibling;
    while (next && !next.matches("tr[data-row]")) {
      next = next.nextElementSibling;
    }
    var input = next && next.cells[cell.cellIndex] ? next.cells[cell.cellIndex].querySelector("input, select") : null;
    if (input) {
      input.focus();
      if (input.select) {
        input.select();
      }
    }
  });

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = fieldByName(prefix + "-TOTAL_FORMS");
      var index = Number(total.value);
      var template = document.getElementById(prefix + "-empty");
      var body = document.getElementById(prefix + "-rows");
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      changes += 1;
      var rows = body.querySelectorAll("tr[data-row]");
      var first = rows[rows.length - 1].querySelector("input, select");
      if (first) {
        first.focus();
      }
      recomputeTotals();
      scheduleCheck();
    });
  });

  form.addEventListener("submit", function (event) {
    if (saving) {
      // Let the autosave in flight finish first, so the save does not conflict with ourselves.
      event.preventDefault();
      submitAfterSave = true;
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && changes !== savedChanges) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.setInterval(autosave, AUTOSAVE_EVERY_MS);

  form.querySelectorAll("[data-delete-row]").forEach(function (box) {
    box.closest("tr").classList.toggle("row-deleted", box.checked);
  });
  recomputeTotals();
  var initial = document.getElementById("initial-check");
  if (initial) {
    applyCheck(JSON.parse(initial.textContent), false);
  }
  form.dataset.ready = "true";
})();
