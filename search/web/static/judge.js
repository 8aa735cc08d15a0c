// Keyboard shortcuts for judging: each key clicks the button that carries it in data-key.
// 2 relevant, 1 partly, 0 not relevant, s skip, u undo. Keys typed into form fields are left alone.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  var target = event.target;
  if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  var button = document.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
  if (!button || button.disabled) return;
  event.preventDefault();
  button.disabled = true; // one key press, one judgment
  button.form.submit();
});
