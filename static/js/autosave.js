// Save the interview notes as they are typed: a form marked data-autosave is posted
// in the background a moment after the last change. The Save button still works without it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var body = new FormData(form);
    fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      headers: { "X-Soske-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          status.textContent = status.getAttribute("data-saved") + " " + data.saved;
        } else {
          status.textContent = status.getAttribute("data-failed");
        }
      });
    }).catch(function () {
      status.textContent = status.getAttribute("data-failed");
    });
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  });
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  });
});
