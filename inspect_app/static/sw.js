/* Tekseru's service worker: the inspector's route and checklists for a day without a network.

   Workbox comes from node_modules through the app (/vendor/workbox/, never a CDN). Pages are kept only
   when the server marked them X-Tekseru-Offline (an inspector's released route and its stops, answered
   200): what the server refuses is never cached. The outbox (static/outbox.js) sends queued answers and
   photos on a background sync. */
importScripts("/vendor/workbox/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/vendor/workbox/", debug: false });
importScripts("/vendor/idb-keyval/umd.js", "/static/outbox.js");

var PAGES = "tekseru-pages-v1", ASSETS = "tekseru-assets-v1";

workbox.core.setCacheNameDetails({ prefix: "tekseru" });
self.skipWaiting();
workbox.core.clientsClaim();

var onlyReleased = {
  cacheWillUpdate: function (args) {
    var r = args.response;
    if (r && r.status === 200 && !r.redirected && r.headers.get("X-Tekseru-Offline") === "1") return r;
    return null;
  }
};

function inspectorPage(url) {
  return url.pathname === "/" || url.pathname === "/my/route" || /^\/my\/route\/stops\/\d+$/.test(url.pathname);
}

workbox.routing.registerRoute(function (ctx) {
  return ctx.url.origin === self.location.origin && ctx.request.method === "GET" && inspectorPage(ctx.url);
}, new workbox.strategies.NetworkFirst({
  cacheName: PAGES, networkTimeoutSeconds: 6,
  plugins: [onlyReleased, new workbox.expiration.ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 36 * 3600 })]
}));

workbox.routing.registerRoute(function (ctx) {
  return ctx.url.origin === self.location.origin && ctx.request.method === "GET" &&
    (ctx.url.pathname.indexOf("/static/") === 0 || ctx.url.pathname.indexOf("/vendor/") === 0);
}, new workbox.strategies.StaleWhileRevalidate({
  cacheName: ASSETS,
  plugins: [new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] })]
}));

/* A sync that leaves work queued (still offline, a request given up) fails, so that the browser tries again
   later instead of forgetting the registration. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "tekseru-outbox") return;
  var outbox = self.TekseruOutbox;
  event.waitUntil(outbox.flush().catch(function () { /* counted below */ }).then(outbox.waiting).then(function (left) {
    if (left) throw new Error("the outbox still holds unsent work");
  }));
});

/* Signing out (or in as someone else) drops the kept pages; unsent answers stay in IndexedDB. */
self.addEventListener("message", function (event) {
  if (event.data === "tekseru-clear-pages") event.waitUntil(caches.delete(PAGES));
});
