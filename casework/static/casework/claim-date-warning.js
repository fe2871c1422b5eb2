// Warns, before the form is sent, when the claim date lies outside every policy period.
// The server checks again and asks for confirmation, so this is a convenience only.
(function () {
  const form = document.querySelector("form[data-policy-periods]");
  const input = form && form.querySelector("input[name=claim_date]");
  const warning = document.getElementById("claim-date-warning");
  if (!input || !warning) return;
  const periods = form.dataset.policyPeriods
    .split(",")
    .filter(Boolean)
    .map((p) => p.split("/"));
  const check = () => {
    const date = input.value; // YYYY-MM-DD compares correctly as text
    const covered = periods.some(([start, end]) => start <= date && date <= end);
    warning.hidden = !date || covered;
  };
  input.addEventListener("change", check);
  check();
})();
