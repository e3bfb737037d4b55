// Period page: while the ZIP of the period's reports is being built, poll its status and move
// the progress bar; once ready, reveal the download link. Without JavaScript, reloading the page
// shows the same state, rendered by the server.
(function () {
  "use strict";
  const panel = document.getElementById("period-zip");
  if (!panel || panel.dataset.state !== "running") return;
  const bar = panel.querySelector("progress");
  const text = document.getElementById("period-zip-text");
  const link = document.getElementById("period-zip-download");
  const show = (state) => {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    text.textContent = state.progress_text;
    text.classList.toggle("text-danger", state.status === "failed");
    if (state.status === "ready" && state.download_url) {
      link.href = state.download_url;
      link.hidden = false;
    }
  };
  const poll = () => {
    fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((state) => {
        show(state);
        if (state.status === "queued" || state.status === "running") window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
  };
  poll();
})();
