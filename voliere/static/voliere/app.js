// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("input", (event) => {
  const field = event.target.closest("[data-char-limit]");
  if (!field) return;
  const counter = document.getElementById(field.dataset.counter);
  if (!counter) return;
  const left = Number(field.dataset.charLimit) - field.value.length;
  counter.textContent = left;
  counter.classList.toggle("over-limit", left < 0);
});
