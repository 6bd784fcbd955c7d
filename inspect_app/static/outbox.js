/* Tekseru's offline outbox, shared by the pages and the service worker (importScripts).

   Everything the inspector enters is written to IndexedDB first (idb-keyval), as one record per stop
   ("visit:ID") or per audit ("audit:ID"), and photos as JPEG blobs of their own. flush() then sends, in
   order: a discard of the stop's earlier draft, a "not done" of the visit, the check-in (creates the audit),
   photos, answers, and a queued submit, each with its client UUID so that a retried request never duplicates
   anything. A record stays "blocked" after a refusal
   (409 or 422) until the inspector changes something: nothing typed is ever dropped.

   A shared phone keeps each user's work apart: every user has an IndexedDB store of their own
   ("tekseru-<scope>", the scope an HMAC of the user's id that the page carries in <meta name="tekseru-user">),
   pages open only the signed-in user's store, and the service worker sends only the store of the user the
   pages last said is signed in. On sign-out (static/signout.js) what was sent is dropped and what was not
   stays, in that user's store, until they sign in again. */
(function (root) {
  "use strict";
  var kv = root.idbKeyval;
  var listeners = [];
  /* Which user is signed in on this phone, as the pages last said: read by the service worker. */
  var META = kv.createStore("tekseru-meta", "meta");
  var own = null;

  function use(scope) { own = scope ? kv.createStore("tekseru-" + scope, "outbox") : null; }

  /* The signed-in user's store: in a page from its <meta>, in the service worker from what the pages said. */
  function signedIn() {
    if (root.document) return Promise.resolve(own);
    return kv.get("current", META).then(function (scope) { use(scope); return own; });
  }

  function mine() {
    if (own) return Promise.resolve(own);
    return signedIn().then(function (store) {
      if (!store) throw new Error("no user is signed in on this phone");
      return store;
    });
  }

  /* idb-keyval's calls, on the signed-in user's store only. */
  var db = {
    get: function (k) { return mine().then(function (s) { return kv.get(k, s); }); },
    set: function (k, v) { return mine().then(function (s) { return kv.set(k, v, s); }); },
    del: function (k) { return mine().then(function (s) { return kv.del(k, s); }); },
    update: function (k, fn) { return mine().then(function (s) { return kv.update(k, fn, s); }); }
  };

  var ready = Promise.resolve();
  if (root.document) {
    var tag = root.document.querySelector("meta[name=tekseru-user]");
    use(tag && tag.content);
    /* A page of a signed-in user tells the service worker whose work it may send. */
    if (own) ready = kv.set("current", tag.content, META).catch(function () { /* private mode: pages send */ });
  }
  var API = "/api/v1/audits/";

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, function () {
      return (Math.random() * 16 | 0).toString(16);
    });
  }

  function notify(key) {
    listeners.forEach(function (fn) { try { fn(key); } catch (e) { /* a listener's bug never stops a sync */ } });
    if (root.clients && root.clients.matchAll) {
      root.clients.matchAll({ includeUncontrolled: true }).then(function (list) {
        list.forEach(function (c) { c.postMessage({ type: "tekseru-outbox", key: key }); });
      });
    }
  }

  function fresh(key, init) {
    return Object.assign({
      key: key, visit: null, facility: null, audit: null, version: null, createUuid: uuid(), checkIn: null,
      answers: {}, dirty: {}, sending: {}, photos: [], submit: null, submitted: false, blocked: null,
      notDone: null, discard: null
    }, init || {});
  }

  function load(key) { return db.get("rec:" + key); }

  function remember(key) {
    return db.update("keys", function (keys) {
      keys = keys || [];
      if (keys.indexOf(key) < 0) keys.push(key);
      return keys;
    });
  }

  /* Apply fn to the stored record (or a fresh one) in one IndexedDB transaction, so the page, another tab
     and the service worker never overwrite each other's changes; resolves to the stored record. */
  function change(key, fn) {
    var result;
    return db.update("rec:" + key, function (rec) {
      rec = rec || fresh(key);
      fn(rec);
      rec.rev = (rec.rev || 0) + 1;  /* lets a page ignore a read that finished after a newer write */
      result = rec;
      return rec;
    }).then(function () { return remember(key); }).then(function () { notify(key); return result; });
  }

  function forget(key) {
    return db.del("rec:" + key).then(function () { notify(key); });
  }

  function pending(rec) {
    if (!rec || rec.submitted) return false;
    return Object.keys(rec.dirty).length > 0 || rec.photos.some(function (p) { return !p.serverId; }) ||
      (!rec.audit && !!rec.checkIn) || !!rec.submit || !!(rec.notDone && !rec.notDone.done) ||
      !!(rec.discard && !rec.discard.done);
  }

  /* Discard the stop's draft on the phone at once (its answers and unsent photos go) and queue the discard
     for the server; the stop can be started again, under a new client UUID. */
  function discard(key, reason) {
    var gone = [];
    return change(key, function (cur) {
      var keep = { visit: cur.visit, facility: cur.facility };
      cur.photos.forEach(function (p) { if (!p.serverId) gone.push(p.uuid); });
      /* A check-in that never reached the server has no draft there: forgetting it on the phone is enough. */
      var d = cur.audit ? { uuid: uuid(), audit: cur.audit, reason: reason, done: false } : null;
      var blank = fresh(key, keep);
      Object.keys(blank).forEach(function (k) { cur[k] = blank[k]; });
      cur.discard = d;
    }).then(function (rec) {
      return Promise.all(gone.map(function (id) { return db.del("photo:" + id); })).then(function () { return rec; });
    });
  }

  function headers(csrf, json) {
    var h = { "Accept": "application/json", "X-CSRFToken": csrf || "" };
    if (json) h["Content-Type"] = "application/json";
    return h;
  }

  /* A request that hangs (a captive portal, a dying cell) is given up after this long, so that it never holds
     the outbox's lock: the record stays queued and the next flush tries again (its UUID makes that safe). */
  var SEND_TIMEOUT_MS = root.TEKSERU_SEND_TIMEOUT_MS || 30000;

  function send(method, url, body, csrf, isForm) {
    var abort = root.AbortController ? new root.AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, SEND_TIMEOUT_MS) : null;
    function done(value) { clearTimeout(timer); return value; }
    return fetch(url, {
      method: method, credentials: "same-origin", headers: headers(csrf, !isForm),
      body: isForm ? body : JSON.stringify(body), signal: abort ? abort.signal : undefined
    }).then(function (response) {
      /* Signed out (e.g. the browser was closed): keep everything queued until the inspector signs in. */
      if (response.status === 401) throw new Error("signed out");
      return response.json().catch(function () { return {}; }).then(function (json) {
        return done({ ok: response.ok, status: response.status, body: json });
      });
    }).catch(function (error) { done(); throw error; });
  }

  /* Take the server's answers for every item the phone has no unsent change of. */
  function takeServer(rec, audit) {
    if (!audit) return;
    if (audit.version !== undefined && audit.version !== null) rec.version = audit.version;
    var server = audit.answers || (audit.current && audit.current.answers);
    if (server) {
      Object.keys(server).forEach(function (code) { if (!rec.dirty[code]) rec.answers[code] = server[code]; });
    }
  }

  function block(rec, result) {
    var body = result.body || {};
    rec.blocked = { status: result.status, message: body.message || "",
                    errors: (body.errors && body.errors.json) || {} };
  }

  function answerBody(rec, codes) {
    var out = {};
    codes.forEach(function (code) { out[code] = rec.answers[code] === undefined ? null : rec.answers[code]; });
    return out;
  }

  function mark(key, sending) { return change(key, function (cur) { cur.sending = sending; }); }

  function refused(key, result) { return change(key, function (cur) { cur.sending = {}; block(cur, result); }); }

  /* Send a queued discard or not-done (the record's `field`, also its sending flag); resolves `more` once the
     server took it. Refused (e.g. the draft was submitted from another device meanwhile): the server's state
     stands, the action is dropped and the record blocked with the refusal. */
  function sendAction(key, field, url, body, csrf, more) {
    var flag = {};
    flag[field] = true;
    return mark(key, flag).then(function () { return send("POST", url, body, csrf); }).then(function (r) {
      if (!r.ok) return change(key, function (cur) { cur.sending = {}; cur[field] = null; block(cur, r); })
        .then(function () { return false; });
      return change(key, function (cur) { cur.sending = {}; if (cur[field]) cur[field].done = true; })
        .then(function () { return more; });
    });
  }

  function step(rec, csrf) {
    /* One request for the record; resolves true when there is more to send, false when done or stopped.
       Results are applied to the record as stored now (change), never to the copy read before the request. */
    var key = rec.key;
    if (rec.submitted || rec.blocked) return Promise.resolve(false);
    if (rec.discard && !rec.discard.done) {
      var d = rec.discard;
      return sendAction(key, "discard", API + d.audit + "/discard", { reason: d.reason, client_uuid: d.uuid },
                        csrf, true);
    }
    if (rec.notDone && !rec.notDone.done) {
      var n = rec.notDone;
      return sendAction(key, "notDone", "/api/v1/my/route/visits/" + rec.visit + "/not-done",
                        { reason: n.reason, note: n.note || "", client_uuid: n.uuid }, csrf, false);
    }
    if (!rec.audit && rec.checkIn) {
      var create = { client_uuid: rec.createUuid, facility_id: rec.facility, schedule_visit_id: rec.visit,
                     check_in_at: rec.checkIn.at };
      if (rec.checkIn.lat !== undefined && rec.checkIn.lat !== null) {
        create.gps_lat = rec.checkIn.lat; create.gps_lon = rec.checkIn.lon; create.gps_accuracy_m = rec.checkIn.acc;
      }
      return mark(key, { checkIn: true }).then(function () { return send("POST", API, create, csrf); }).then(function (r) {
        if (!r.ok) return refused(key, r).then(function () { return false; });
        return change(key, function (cur) {
          cur.sending = {}; cur.audit = r.body.id; cur.far = r.body.checkin_far; cur.distance = r.body.checkin_distance_m;
          takeServer(cur, r.body);
        }).then(function () { return true; });
      });
    }
    if (!rec.audit) return Promise.resolve(false);
    var photo = rec.photos.filter(function (p) { return !p.serverId; })[0];
    if (photo) {
      return mark(key, { photo: photo.uuid }).then(function () { return db.get("photo:" + photo.uuid); }).then(function (blob) {
        var form = new FormData();
        form.append("file", blob, "photo.jpg");
        if (photo.item) form.append("item_code", photo.item);
        form.append("client_uuid", photo.uuid);
        return send("POST", API + rec.audit + "/photos", form, csrf, true);
      }).then(function (r) {
        if (!r.ok) return refused(key, r).then(function () { return false; });
        return change(key, function (cur) {
          cur.sending = {};
          cur.photos.forEach(function (p) { if (p.uuid === photo.uuid) p.serverId = r.body.id; });
          if (photo.item) {
            var a = Object.assign({}, cur.answers[photo.item] || {});
            a.photos = (a.photos || []).filter(function (id) { return id !== r.body.id; }).concat([r.body.id]);
            cur.answers[photo.item] = a;
          }
        }).then(function () { return db.del("photo:" + photo.uuid); }).then(function () { return true; });
      });
    }
    var codes = Object.keys(rec.dirty);
    if (codes.length) {
      var stamps = {};
      codes.forEach(function (c) { stamps[c] = rec.dirty[c]; });
      var body = { answers: answerBody(rec, codes), answers_saved_at: {} };
      /* Each item carries when the inspector changed it, so the server never lets an older save win. */
      codes.forEach(function (c) { body.answers_saved_at[c] = new Date(stamps[c]).toISOString(); });
      if (rec.version !== null && rec.version !== undefined) body.version = rec.version;
      return mark(key, { codes: codes }).then(function () { return send("PATCH", API + rec.audit, body, csrf); }).then(function (r) {
        if (r.ok) {
          return change(key, function (cur) {
            cur.sending = {};
            codes.forEach(function (c) { if (cur.dirty[c] === stamps[c]) delete cur.dirty[c]; });
            takeServer(cur, r.body);
          }).then(function () { return true; });
        }
        if (r.status === 409 && !rec.retried409) {
          /* A stale version: take the current state (in the 409, else read it), keep every unsent item,
             and send them again once. */
          var inBody = r.body && r.body.current;
          var read = inBody ? Promise.resolve({ ok: true, body: inBody }) : send("GET", API + rec.audit, undefined, csrf);
          return read.then(function (current) {
            if (!(current.ok && current.body.status === "draft")) return refused(key, r).then(function () { return false; });
            return change(key, function (cur) { cur.sending = {}; cur.retried409 = true; takeServer(cur, current.body); })
              .then(function () { return true; });
          });
        }
        return refused(key, r).then(function () { return false; });
      });
    }
    if (rec.submit) {
      var submit = { client_uuid: rec.submit.uuid, representatives: rec.submit.representatives || [] };
      /* The act's elements typed and signed on the phone; the time the inspector pressed "send" is when the act
         was drawn up (check-out), however long the network made it wait. */
      var act = rec.submit.act || {};
      Object.keys(act).forEach(function (field) {
        var value = act[field];
        if (value === null || value === undefined || value === "") return;
        submit[field] = value;
      });
      if (act.signature_refused) delete submit.representative_signature;
      if (rec.submit.at) submit.check_out_at = rec.submit.at;
      return mark(key, { submit: true }).then(function () {
        return send("POST", API + rec.audit + "/submit", submit, csrf);
      }).then(function (r) {
        if (!r.ok) {
          /* The submit is dropped (the answers stay) so the inspector can fix what was refused and submit again. */
          return change(key, function (cur) { cur.sending = {}; cur.submit = null; block(cur, r); })
            .then(function () { return false; });
        }
        return change(key, function (cur) {
          cur.sending = {}; cur.submitted = true; cur.submit = null; cur.answers = r.body.answers || cur.answers;
        }).then(function () { return false; });
      });
    }
    return Promise.resolve(false);
  }

  function flushOne(key, csrf, again) {
    return load(key).then(function (rec) {
      if (!pending(rec)) return;
      var ready = again ? Promise.resolve(rec) : change(key, function (cur) { cur.retried409 = false; });
      return ready.then(function (cur) { return step(cur, csrf); }).then(function (more) { return more ? flushOne(key, csrf, true) : undefined; });
    });
  }

  function flushAll() {
    return Promise.all([db.get("keys"), db.get("csrf")]).then(function (got) {
      var keys = got[0] || [], csrf = got[1];
      return keys.reduce(function (chain, key) {
        return chain.then(function () { return flushOne(key, csrf); });
      }, Promise.resolve());
    }).catch(function (error) {
      /* No network: everything stays on the phone; clear "sending" marks so the form says so. */
      return db.get("keys").then(function (keys) {
        return Promise.all((keys || []).map(function (key) {
          return load(key).then(function (rec) {
            if (rec && Object.keys(rec.sending || {}).length) return mark(key, {});
          });
        }));
      }).then(function () { throw error; });
    });
  }

  /* Send everything queued, one flush at a time across the pages and the service worker. */
  function flush() {
    /* Known to be offline: nothing to try (the "online" event or a background sync calls again). */
    if (root.navigator && root.navigator.onLine === false) return Promise.resolve();
    var locks = root.navigator && root.navigator.locks;
    return signedIn().then(function (store) {
      if (!store) return undefined;  /* nobody signed in: every user's work waits for its owner */
      if (locks && locks.request) return locks.request("tekseru-outbox", flushAll);
      return flushAll();
    });
  }

  /* Whether anything is still waiting to be sent that the network, not the inspector, holds up (a record
     refused with 409/422 waits for the inspector and does not count). */
  function waiting() {
    return signedIn().then(function (store) { return store ? db.get("keys") : []; }).then(function (keys) {
      return Promise.all((keys || []).map(load)).then(function (recs) {
        return recs.some(function (rec) { return pending(rec) && !rec.blocked; });
      });
    });
  }

  function records() {
    return db.get("keys").then(function (keys) {
      return Promise.all((keys || []).map(function (key) { return load(key); }));
    });
  }

  /* The labels of the signed-in user's records not yet on the server (what a sign-out would leave here). */
  function unsent() {
    if (!own) return Promise.resolve([]);
    return records().then(function (recs) {
      return recs.filter(pending).map(function (rec) { return rec.label || rec.key; });
    });
  }

  /* Signing out: drop the records the server has, keep the others (in this user's store, for their next
     sign-in), forget the session's CSRF token, and stop the service worker sending for this user. */
  function leave() {
    var cleared = kv.set("current", null, META);
    if (!own) return cleared;
    return records().then(function (recs) {
      var keep = recs.filter(pending).map(function (rec) { return rec.key; });
      var drop = recs.filter(function (rec) { return rec && !pending(rec); });
      return Promise.all(drop.map(function (rec) {
        return Promise.all(rec.photos.map(function (p) { return db.del("photo:" + p.uuid); }))
          .then(function () { return db.del("rec:" + rec.key); });
      })).then(function () { return db.set("keys", keep); });
    }).then(function () { return db.del("csrf"); }).then(function () { return cleared; });
  }

  root.TekseruOutbox = {
    unsent: unsent, leave: leave, ready: ready,
    uuid: uuid, fresh: fresh, load: load, change: change, forget: forget, pending: pending, flush: flush,
    waiting: waiting,
    discard: discard,
    putPhoto: function (id, blob) { return db.set("photo:" + id, blob); },
    getPhoto: function (id) { return db.get("photo:" + id); },
    setCsrf: function (token) { return db.set("csrf", token); },
    onChange: function (fn) { listeners.push(fn); }
  };
})(self);
