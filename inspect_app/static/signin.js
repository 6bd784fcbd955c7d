/* On the sign-in page: drop the pages the service worker kept for the last user (unsent answers stay). */
(function () {
  "use strict";
  if (!("caches" in self)) return;
  caches.keys().then(function (names) {
    names.filter(function (n) { return n.indexOf("tekseru-pages") === 0; }).forEach(function (n) { caches.delete(n); });
  });
})();
