// The weighted total as the reviewer types, computed like the server: exactly, then rounded
// half up to one decimal. 100 × Σ w·(s − min) / ((max − min) · Σ w), with the weights
// (two decimals) as whole hundredths so that the arithmetic stays in integers.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("score-form");
  var output = document.getElementById("weighted-total");
  if (!form || !output) { return; }
  var min = Number(form.getAttribute("data-min"));
  var max = Number(form.getAttribute("data-max"));
  var separator = form.getAttribute("data-decimal-separator") || ".";
  function hundredths(text) {
    var parts = String(text).replace(",", ".").split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return Number(parts[0]) * 100 + Number(fraction);
  }
  function update() {
    var numerator = 0, weights = 0, complete = true;
    form.querySelectorAll("select.score-input").forEach(function (input) {
      var weight = hundredths(input.getAttribute("data-weight"));
      weights += weight;
      if (input.value === "") { complete = false; return; }
      numerator += weight * (Number(input.value) - min);
    });
    if (!complete || weights === 0 || max <= min) { output.textContent = "–"; return; }
    // tenths = round_half_up(1000 · numerator / ((max − min) · weights))
    var denominator = (max - min) * weights;
    var tenths = Math.floor((2000 * numerator + denominator) / (2 * denominator));
    var text = Math.floor(tenths / 10) + separator + (tenths % 10);
    output.textContent = text;
  }
  form.addEventListener("change", update);
  update();
});
