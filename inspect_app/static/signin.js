/* On the sign-in page: nobody is signed in, so the service worker sends and keeps nothing for anyone, and the
   pages it kept for the last user are dropped (unsent answers stay in that user's own store). */
(function () {
  "use strict";
  if (self.idbKeyval) {
    self.idbKeyval.set("current", null, self.idbKeyval.createStore("tekseru-meta", "meta"))
      .catch(function () { /* no IndexedDB: the service worker has no user to send for either */ });
  }
  if (!("caches" in self)) return;
  caches.keys().then(function (names) {
    names.filter(function (n) { return n.indexOf("tekseru-pages") === 0; }).forEach(function (n) { caches.delete(n); });
  });
})();
