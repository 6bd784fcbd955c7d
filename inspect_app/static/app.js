// Behaviour every page shares, loaded by base.html (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  // <form data-confirm="question"> asks before submitting (archiving and other hard-to-undo actions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
