/* Signing out on a shared phone: what the server has is dropped from the phone; what it has not is named in a
   warning and, if the user signs out anyway, stays in their own store (static/outbox.js) for their next
   sign-in, never shown to the next user. The pages the service worker kept are dropped too. The words come
   from the page (data-unsent on the sign-out form). */
(function () {
  "use strict";
  var form = document.getElementById("sign-out"), O = self.TekseruOutbox;
  if (!form || !O) return;

  function dropPages() {
    if (!("caches" in self)) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("tekseru-pages") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).catch(function () { /* no cache storage: nothing kept to drop */ });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    O.unsent().catch(function () {
      return [];  /* the store cannot be read: nothing can be dropped from it either, so nothing is lost */
    }).then(function (labels) {
      if (labels.length && !window.confirm(form.dataset.unsent.replace("{list}", labels.join("; ")))) return false;
      return O.leave().catch(function () { /* what could not be dropped stays in this user's own store */ })
        .then(function () { return true; });
    }).then(function (go) {
      if (go) dropPages().then(function () { form.submit(); });
    });
  });
})();
