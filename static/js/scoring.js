// The weighted total as the reviewer types, on the same 0–100 scale as the server:
// 100 × Σ weight × (score − min) / (max − min) / Σ weight. The server's figure is the record.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("score-form");
  var output = document.getElementById("weighted-total");
  if (!form || !output) { return; }
  var min = Number(form.getAttribute("data-min"));
  var max = Number(form.getAttribute("data-max"));
  function update() {
    var inputs = form.querySelectorAll("select.score-input");
    var sum = 0, weights = 0, complete = true;
    inputs.forEach(function (input) {
      var weight = Number(input.getAttribute("data-weight"));
      weights += weight;
      if (input.value === "") { complete = false; return; }
      sum += weight * (Number(input.value) - min) / (max - min);
    });
    output.textContent = complete && weights > 0 ? (100 * sum / weights).toFixed(1) : "–";
  }
  form.addEventListener("change", update);
  update();
});
