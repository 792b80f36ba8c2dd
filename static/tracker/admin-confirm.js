// Buttons with data-confirm ask before they submit (a file, not an inline onclick: the CSP allows no inline script).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
