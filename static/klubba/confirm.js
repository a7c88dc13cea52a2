// Irreversible forms ask first: a form with data-confirm is sent only after a "yes".
// (A static module, not inline script, so a strict Content-Security-Policy can forbid inline.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
