// A background job's progress (the results book, a spreadsheet export): while the job is
// queued or running, ask its status every 1.5 s and write it into the polite live region;
// when it is done, show the download link.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job-status]");
  if (!box || !box.getAttribute("data-active")) { return; }
  var text = box.querySelector("[data-job-status-text]");
  var link = box.querySelector("[data-job-status-link]");
  var url = box.getAttribute("data-job-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (text.textContent !== status.text) { text.textContent = status.text; }
        if (status.active) {
          window.setTimeout(poll, 1500);
        } else if (status.url) {
          var a = document.createElement("a");
          a.className = "btn btn-outline-primary";
          a.href = status.url;
          a.textContent = status.link_text;
          link.replaceChildren(a);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
});
