/* Tekseru's service worker: the inspector's route and checklists for a day without a network.

   Workbox comes from node_modules through the app (/vendor/workbox/, never a CDN). Pages are kept only
   when the server marked them X-Tekseru-Offline (an inspector's released route and its stops, answered
   200): what the server refuses is never cached. The outbox (static/outbox.js) sends queued answers and
   photos on a background sync. */
importScripts("/vendor/workbox/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/vendor/workbox/", debug: false });
importScripts("/vendor/idb-keyval/umd.js", "/static/outbox.js");

var PAGES = "tekseru-pages-v2", ASSETS = "tekseru-assets-v1";

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

/* A kept page is served only until its day ends (the server's X-Tekseru-Offline-Until), so a phone left
   signed in never shows an earlier day's route. */
var untilItsDayEnds = {
  cachedResponseWillBeUsed: function (args) {
    var r = args.cachedResponse;
    if (!r) return null;
    return Number(r.headers.get("X-Tekseru-Offline-Until")) > Date.now() ? r : null;
  }
};

function inspectorPage(url) {
  return url.pathname === "/" || url.pathname === "/my/route" || /^\/my\/route\/stops\/\d+$/.test(url.pathname);
}

/* Each user's pages are kept in a cache of their own, named by the scope the pages last said is signed in
   (static/outbox.js); with nobody signed in, nothing is kept or served from a cache. */
var META = idbKeyval.createStore("tekseru-meta", "meta");
/* Workbox loads its modules on first use, which a service worker may do only while it installs: now. */
var NetworkFirst = workbox.strategies.NetworkFirst, ExpirationPlugin = workbox.expiration.ExpirationPlugin;

workbox.routing.registerRoute(function (ctx) {
  return ctx.url.origin === self.location.origin && ctx.request.method === "GET" && inspectorPage(ctx.url);
}, function (options) {
  return idbKeyval.get("current", META).catch(function () { return null; }).then(function (scope) {
    if (!scope) return fetch(options.request);
    return new NetworkFirst({
      cacheName: PAGES + "-" + scope, networkTimeoutSeconds: 6,
      plugins: [onlyReleased, untilItsDayEnds,
                new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 36 * 3600 })]
    }).handle(options);
  });
});

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

/* Signing out (or in as someone else) drops the kept pages; unsent answers stay in their user's store. */
self.addEventListener("message", function (event) {
  if (event.data !== "tekseru-clear-pages") return;
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PAGES) === 0; })
      .map(function (n) { return caches.delete(n); }));
  }));
});
