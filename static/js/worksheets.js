// Save the team's working copy as it is typed: the work form (data-autosave-work) is
// posted in the background a moment after the last change, as "Save draft" would be, and
// the hidden revision follows each save, so the next save is not taken for a stale one.
// Without this script the buttons do the same. A refused save (a team mate saved, or an
// error in a worksheet) is only announced: the button shows the details on the page.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosave-work]");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var revision = form.querySelector("input[name=revision]");
  var timer = null;
  var busy = false;
  function say(text) { if (status) { status.textContent = text; } }
  function save() {
    if (busy) { timer = window.setTimeout(save, 1000); return; }
    busy = true;
    var body = new FormData(form);
    body.set("action", "save");
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      headers: { "X-Soske-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          revision.value = data.revision;
          say(status.getAttribute("data-saved") + " " + data.saved);
        } else if (response.status === 400 && data.revision !== undefined) {
          revision.value = data.revision;  // the valid worksheets were saved
          say(status.getAttribute("data-failed"));
        } else if (response.status === 409) {
          say(status.getAttribute("data-conflict"));
        } else {
          say(status.getAttribute("data-failed"));
        }
      });
    }).catch(function () {
      say(status.getAttribute("data-failed"));
    }).then(function () { busy = false; });
  }
  // A click of a button saves anyway: no background save after it.
  form.addEventListener("submit", function () { window.clearTimeout(timer); });
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2000);
  });
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 500);
  });
});
