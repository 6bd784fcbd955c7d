/* The field checklist (stop page and audit fill page). Every answer and photo goes to IndexedDB first
   (static/outbox.js) and is sent from there, so a dead zone, a reload or a closed browser loses nothing.
   Each item says where its answer and photos are: on the phone only, sending, or on the server. */
(function () {
  "use strict";
  var O = self.TekseruOutbox;
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var t = data.t, key = data.key;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var form = document.getElementById("checklist");
  var statusBox = document.getElementById("sync-status");
  var rec = null, timer = null, thumbs = {}, writing = {};
  var MAX_SIDE = 2000;

  function text(el, value) { if (el) el.textContent = value || ""; }
  function fmt(s, values) { return s.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; }); }
  function say(value, bad) { text(statusBox, value); statusBox.className = "flash" + (bad ? " flash-error" : ""); }
  function itemBox(code) { return document.getElementById("item-" + code); }

  /* Seed the local record from the page: the server's answers fill every item without an unsent change. */
  function seed() {
    return O.change(key, function (cur) {
      if (!cur.visit && data.visit) cur.visit = data.visit;
      if (data.label) cur.label = data.label;  /* named in the warning if it is still unsent at sign-out */
      if (!cur.facility && data.facility) cur.facility = data.facility;
      if (!cur.act) cur.act = {};
      /* A value the page fills in (the inspector's position from their last act) until the inspector types. */
      form.querySelectorAll("[data-act]").forEach(function (el) {
        if (el.defaultValue && cur.act[el.dataset.act] === undefined) cur.act[el.dataset.act] = el.defaultValue;
      });
      var server = data.audit;
      /* A page kept before a discard still names the discarded draft: the phone knows better. */
      if (!server || (cur.discard && cur.discard.audit === server.id)) return;
      if (cur.audit && cur.audit !== server.id) {
        /* The stop got a new audit elsewhere (e.g. after a discard): start again from the server's. */
        var fresh = O.fresh(key, { visit: data.visit, facility: data.facility });
        Object.keys(fresh).forEach(function (k) { cur[k] = fresh[k]; });
      }
      cur.audit = server.id;
      if (server.version !== null && server.version !== undefined) cur.version = server.version;
      Object.keys(server.answers || {}).forEach(function (code) {
        if (!cur.dirty[code]) cur.answers[code] = server.answers[code];
      });
      if (server.status === "submitted") cur.submitted = true;
    });
  }

  function distanceM(lat, lon) {
    var R = 6371009, r = Math.PI / 180, target = data.target;
    if (!target) return null;
    var dLat = (target.lat - lat) * r, dLon = (target.lon - lon) * r;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat * r) * Math.cos(target.lat * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return Math.round(2 * R * Math.asin(Math.sqrt(a)));
  }

  function whereText(code) {
    if (rec.sending && rec.sending.codes && rec.sending.codes.indexOf(code) >= 0) return t.sending;
    if (rec.dirty[code]) return t.phone;
    return rec.answers[code] && rec.audit ? t.server : "";
  }

  function renderPhotos(code, box) {
    var list = box.querySelector(".photo-list");
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    var answer = rec.answers[code] || {};
    var local = rec.photos.filter(function (p) { return p.item === code; });
    var localIds = local.map(function (p) { return p.serverId; });
    (answer.photos || []).filter(function (id) { return localIds.indexOf(id) < 0; }).forEach(function () {
      var li = document.createElement("li");
      li.textContent = t.photo_server;
      li.className = "on-server";
      list.appendChild(li);
    });
    local.forEach(function (p) {
      var li = document.createElement("li");
      if (thumbs[p.uuid]) {
        var img = document.createElement("img");
        img.src = thumbs[p.uuid]; img.alt = ""; img.className = "thumb";
        li.appendChild(img);
      }
      var state = p.serverId ? t.photo_server : (rec.sending && rec.sending.photo === p.uuid ? t.photo_sending : t.photo_phone);
      li.appendChild(document.createTextNode(state));
      li.className = p.serverId ? "on-server" : "on-phone";
      list.appendChild(li);
    });
    var count = box.querySelector(".photo-count");
    var n = (answer.photos || []).length + local.filter(function (p) { return !p.serverId; }).length;
    text(count, n ? "(" + n + ")" : "");
  }

  function renderItem(box) {
    var code = box.dataset.code, answer = rec.answers[code] || {};
    var value = answer.value;
    if (writing[code]) return;
    box.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = (r.value === value); });
    var field = box.querySelector("input.number, textarea");
    if (field && document.activeElement !== field) field.value = value === undefined || value === null ? "" : value;
    var comment = box.querySelector("input.comment");
    if (comment && document.activeElement !== comment) comment.value = answer.comment || "";
    var where = box.querySelector("[data-where]");
    text(where, whereText(code));
    if (where) where.className = "where " + (rec.dirty[code] ? "on-phone" : "on-server");
    renderPhotos(code, box);
    var errors = rec.blocked && rec.blocked.errors && rec.blocked.errors.answers ? rec.blocked.errors.answers[code] :
      rec.blocked && rec.blocked.errors ? rec.blocked.errors[code] : null;
    box.classList.toggle("has-error", !!errors);
    text(box.querySelector(".field-error"), errors ? [].concat(errors).join("; ") : "");
  }

  /* Where a not-done or a discard is: "phone" only, "sending", or on the "server". */
  function actionWhere(entry, flag) {
    if (rec.sending && rec.sending[flag]) return "sending";
    return entry.done ? "server" : "phone";
  }

  function renderVisitState() {
    var box = document.getElementById("visit-state");
    if (!box) return;
    var line = "", where = "";
    if (rec.notDone) {
      where = actionWhere(rec.notDone, "notDone");
      line = fmt(t.not_done, { reason: rec.notDone.label || rec.notDone.reason }) + " " + t[where];
    } else if (rec.discard && !rec.audit && !rec.checkIn) {
      where = actionWhere(rec.discard, "discard");
      line = t.discarded + " " + t[where];
    }
    text(box, line);
    box.hidden = !line;
    box.dataset.where = where;
    var badge = document.querySelector(".state[data-visit]");
    if (badge && rec.notDone) {
      badge.textContent = t.not_done_badge + ": " + (rec.notDone.label || rec.notDone.reason);
      badge.className = "badge state state-not_done";
    }
  }

  function renderCheckIn() {
    var arrive = document.getElementById("arrive"), state = document.getElementById("checkin-state");
    var checklist = document.getElementById("checklist-box"), notDone = document.getElementById("not-done-box");
    var arrived = !!(rec.checkIn || rec.audit), closed = !!rec.notDone;
    var checkinBox = document.getElementById("checkin-box"), discardBox = document.getElementById("discard-box");
    if (arrive) arrive.hidden = arrived || closed;
    if (checkinBox) checkinBox.hidden = closed;
    if (checklist) checklist.hidden = !arrived || closed;
    if (notDone) notDone.hidden = arrived || closed;
    if (discardBox) discardBox.hidden = !rec.audit || !!rec.submitted;
    if (state && rec.discard && !rec.checkIn && !rec.audit) text(state, "");  /* the discarded draft's arrival */
    if (state && rec.checkIn) {
      var c = rec.checkIn, at = new Date(c.at).toLocaleTimeString(document.documentElement.lang || [],
                                                           { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Almaty" });
      var line = c.lat === null || c.lat === undefined ? fmt(t.checkin_nogps, { at: at }) :
        fmt(t.checkin_ok, { at: at, acc: Math.round(c.acc), dist: distanceM(c.lat, c.lon) });
      if (c.lat !== null && c.lat !== undefined && distanceM(c.lat, c.lon) > data.max_m) line += " " + fmt(t.checkin_far, { max: data.max_m });
      line += " " + (rec.audit ? t.checkin_server : t.checkin_phone);
      text(state, line);
    }
  }

  /* What an item still lacks before the act can be sent (the rules of forms/answers.py): an answer to a
     required item, a photo of a failed item that requires one. */
  function photosOf(code) {
    var answer = rec.answers[code] || {};
    return (answer.photos || []).length + rec.photos.filter(function (p) { return p.item === code && !p.serverId; }).length;
  }

  function fails(box, value) {
    var kind = box.dataset.kind;
    if (value === "na") return false;
    if (kind === "yes_no") return value === "no";
    if (kind === "choice") {
      var option = box.querySelector('input[type=radio][value="' + CSS.escape(value) + '"]');
      return !!(option && option.dataset.fails);
    }
    if (kind === "number") {
      var n = parseFloat(String(value).replace(",", "."));
      var min = box.dataset.min === "" ? null : parseFloat(box.dataset.min);
      var max = box.dataset.max === "" ? null : parseFloat(box.dataset.max);
      return !isNaN(n) && ((min !== null && n < min) || (max !== null && n > max));
    }
    return false;
  }

  function lacks(box) {
    var code = box.dataset.code, value = (rec.answers[code] || {}).value;
    var blank = value === undefined || value === null || String(value).trim() === "";
    if (blank) return box.dataset.required === "1" ? "answer" : null;
    if (box.dataset.photoOnFail === "1" && fails(box, String(value).trim()) && !photosOf(code)) return "photo";
    return null;
  }

  function answered(box) {
    var value = (rec.answers[box.dataset.code] || {}).value;
    return !(value === undefined || value === null || String(value).trim() === "");
  }

  function renderProgress() {
    var boxes = form.querySelectorAll(".item"), done = 0;
    boxes.forEach(function (box) { if (answered(box)) done += 1; });
    text(form.querySelector("[data-progress]"), fmt(t.progress, { n: done, total: boxes.length }));
    form.querySelectorAll("fieldset[data-section]").forEach(function (section) {
      var items = section.querySelectorAll(".item"), n = 0;
      items.forEach(function (box) { if (answered(box)) n += 1; });
      text(form.querySelector('[data-section-count="' + section.dataset.section + '"]'), n + " / " + items.length);
    });
  }

  /* Before the act is queued: list what is unanswered or lacks a required photo, each a link to its item. */
  function checkBeforeSubmit() {
    var box = document.getElementById("submit-check"), list = box.querySelector("[data-check-list]");
    while (list.firstChild) list.removeChild(list.firstChild);
    var missing = 0;
    form.querySelectorAll(".item").forEach(function (item) {
      var why = lacks(item);
      if (!why) return;
      missing += 1;
      var li = document.createElement("li"), a = document.createElement("a");
      var legend = item.closest("fieldset").querySelector("legend");
      a.href = "#" + item.id;
      a.textContent = item.querySelector(".item-text").firstChild.textContent.trim();
      li.appendChild(document.createTextNode((legend ? legend.textContent + ": " : "")));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" \u2014 " + (why === "photo" ? t.lacks_photo : t.lacks_answer)));
      list.appendChild(li);
    });
    var act = rec.act || {};
    function lacksAct(field, label) {
      missing += 1;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + (document.getElementById("act-" + field) ? "act-" + field : label.closest("[id]").id);
      a.textContent = label.textContent.trim();
      li.appendChild(a);
      li.appendChild(document.createTextNode(" \u2014 " + t.lacks_act));
      list.appendChild(li);
    }
    form.querySelectorAll("[data-act][data-required='1']").forEach(function (el) {
      if (!String(act[el.dataset.act] || "").trim()) lacksAct(el.dataset.act, form.querySelector("label[for='" + el.id + "']"));
    });
    form.querySelectorAll(".signature").forEach(function (box) {
      if (box.hidden || act[box.dataset.sig]) return;
      lacksAct(box.dataset.sig, box.querySelector(".sig-label"));
    });
    text(box.querySelector("[data-check-title]"), missing ? fmt(t.lacks_title, { n: missing }) : "");
    box.hidden = !missing;
    if (missing) box.scrollIntoView({ block: "start" });
    return !missing;
  }

  /* The act's fields and signatures as the phone keeps them (rec.act), and the server's refusal beside each. */
  var drawn = {};
  function blockedErrors() {
    return rec.blocked && rec.blocked.errors ? rec.blocked.errors : {};
  }
  function renderAct() {
    var act = rec.act || {}, errors = blockedErrors();
    form.querySelectorAll("[data-act]").forEach(function (el) {
      var value = act[el.dataset.act];
      if (document.activeElement === el) return;
      if (el.type === "checkbox") el.checked = !!value;
      else el.value = value === undefined || value === null ? "" : value;
    });
    var refused = !!act.signature_refused;
    var refusalBox = document.getElementById("refusal-box"), repBox = document.getElementById("rep-sign-box");
    if (refusalBox) refusalBox.hidden = !refused;
    if (repBox) repBox.hidden = refused;
    form.querySelectorAll(".signature").forEach(function (box) {
      var field = box.dataset.sig, canvas = box.querySelector("canvas");
      if (act[field] && drawn[field] !== act[field]) {
        var img = new Image();
        img.onload = function () {
          canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
          canvas.getContext("2d").drawImage(img, 0, 0);
        };
        img.src = act[field];
        drawn[field] = act[field];
      } else if (!act[field] && drawn[field]) {
        canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
        drawn[field] = null;
      }
      box.dataset.signed = act[field] ? "1" : "0";
    });
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      var e = errors[el.dataset.errorFor];
      text(el, e ? [].concat(e).join("; ") : "");
    });
  }

  function render() {
    if (!rec) return;
    renderAct();
    renderProgress();
    renderCheckIn();
    renderVisitState();
    form.querySelectorAll(".item").forEach(renderItem);
    var locked = !!(rec.submit || rec.submitted);
    form.querySelectorAll("input, textarea, button").forEach(function (el) { el.disabled = locked; });
    var submitWhere = document.getElementById("submit-where");
    text(submitWhere, rec.submitted ? t.submitted : rec.submit ? (navigator.onLine ? t.submit_sending : t.submit_queued) : "");
    if (rec.submitted) say(t.submitted);
    else if (rec.blocked) say((rec.blocked.status === 409 ? t.conflict : t.invalid) +
      (rec.blocked.message ? " (" + rec.blocked.message + ")" : "") + " " + t.kept, true);
    else if (O.pending(rec)) say(navigator.onLine ? t.sending_all : t.offline, !navigator.onLine);
    else if (rec.audit || (rec.notDone && rec.notDone.done) || (rec.discard && rec.discard.done)) say(t.saved);
    else say("");
    var retry = document.getElementById("retry-sync");
    if (retry) retry.hidden = !rec.blocked;
    document.body.dataset.syncState = rec.submitted ? "submitted" : rec.blocked ? "blocked" :
      O.pending(rec) ? "pending" : "synced";
  }

  /* Take a stored record unless the page already holds a newer one (reads may finish out of order). */
  function take(stored) {
    if (stored && (!rec || (stored.rev || 0) >= (rec.rev || 0))) rec = stored;
    render();
    return rec;
  }

  function refresh() { return O.load(key).then(take); }

  function kick(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (navigator.serviceWorker && navigator.serviceWorker.ready && self.SyncManager) {
        navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("tekseru-outbox"); })
          .catch(function () { /* background sync refused: the page's own flush below still runs */ });
      }
      O.flush().then(refresh, refresh);
    }, delay || 0);
  }

  function edit(code, patch) {
    /* Until the write lands, a render must not put back the value the inspector just changed. */
    writing[code] = (writing[code] || 0) + 1;
    O.change(key, function (cur) {
      cur.answers[code] = Object.assign({}, cur.answers[code] || {}, patch);
      cur.dirty[code] = Date.now();
      cur.blocked = null;
    }).then(function (cur) { writing[code] -= 1; take(cur); kick(800); });
  }

  /* Resize on the phone (longest side 2,000 px, JPEG) before the photo is stored or sent. */
  function resize(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    });
  }

  function addPhoto(code, input) {
    var file = input.files[0];
    if (!file) return;
    say(t.photo_preparing);
    resize(file).then(function (blob) {
      var id = O.uuid();
      thumbs[id] = URL.createObjectURL(blob);
      return O.putPhoto(id, blob).then(function () {
        return O.change(key, function (cur) { cur.photos.push({ uuid: id, item: code, serverId: null }); cur.blocked = null; });
      });
    }).then(function (cur) { input.value = ""; take(cur); kick(); },
            function () { say(t.photo_bad, true); input.value = ""; });
  }

  form.addEventListener("change", function (event) {
    var el = event.target, box = el.closest(".item");
    if (!box) return;
    var code = box.dataset.code;
    if (el.type === "radio" || el.classList.contains("number") || el.tagName === "TEXTAREA") edit(code, { value: el.value });
    else if (el.classList.contains("comment")) edit(code, { comment: el.value });
    else if (el.classList.contains("photo")) addPhoto(code, el);
  });

  var arrive = document.getElementById("arrive");
  if (arrive) arrive.addEventListener("click", function () {
    arrive.disabled = true;
    text(document.getElementById("checkin-state"), t.locating);
    function record(position) {
      var c = position && position.coords;
      O.change(key, function (cur) {
        if (cur.checkIn || cur.audit) return;
        cur.checkIn = { at: new Date().toISOString(), lat: c ? c.latitude : null, lon: c ? c.longitude : null,
                        acc: c ? c.accuracy : null };
      }).then(function (cur) { take(cur); kick(); });
    }
    if (!navigator.geolocation) { record(null); return; }
    navigator.geolocation.getCurrentPosition(record, function () { record(null); },
                                             { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  document.getElementById("save-now").addEventListener("click", function () {
    O.change(key, function (cur) { cur.blocked = null; }).then(function (cur) { take(cur); kick(); });
  });
  document.getElementById("submit").addEventListener("click", function () {
    if (!checkBeforeSubmit()) return;
    var reps = document.getElementById("representatives").value.split("\n")
      .map(function (s) { return s.trim(); }).filter(Boolean);
    O.change(key, function (cur) {
      cur.blocked = null;
      if (!cur.submit && !cur.submitted) {
        cur.submit = { uuid: O.uuid(), representatives: reps, act: Object.assign({}, cur.act || {}),
                       at: new Date().toISOString() };
      }
    }).then(function (cur) { take(cur); kick(); });
  });
  /* Act fields: each change is kept on the phone at once, like an answer. */
  function editAct(field, value) {
    O.change(key, function (cur) {
      cur.act = cur.act || {};
      cur.act[field] = value;
      cur.blocked = null;
    }).then(take);
  }
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.dataset || !el.dataset.act) return;
    editAct(el.dataset.act, el.type === "checkbox" ? el.checked : el.value);
  });

  /* A signature: strokes drawn with a finger (pointer events) on a transparent canvas, kept as a PNG. */
  form.querySelectorAll(".signature").forEach(function (box) {
    var canvas = box.querySelector("canvas"), ctx = canvas.getContext("2d"), last = null;
    function point(event) {
      var r = canvas.getBoundingClientRect();
      return { x: (event.clientX - r.left) * canvas.width / r.width, y: (event.clientY - r.top) * canvas.height / r.height };
    }
    function locked() { return !rec || !!(rec.submit || rec.submitted); }
    canvas.addEventListener("pointerdown", function (event) {
      if (locked()) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = point(event);
      ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#14145a";
      ctx.beginPath(); ctx.arc(last.x, last.y, 1.5, 0, 2 * Math.PI); ctx.fillStyle = "#14145a"; ctx.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!last) return;
      var p = point(event);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    });
    function end() {
      if (!last) return;
      last = null;
      var png = canvas.toDataURL("image/png");
      drawn[box.dataset.sig] = png;
      editAct(box.dataset.sig, png);
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    box.querySelector(".sig-clear").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawn[box.dataset.sig] = null;
      editAct(box.dataset.sig, null);
    });
  });

  var retry = document.createElement("button");
  retry.type = "button"; retry.id = "retry-sync"; retry.hidden = true; retry.textContent = t.retry;
  retry.addEventListener("click", function () {
    O.change(key, function (cur) { cur.blocked = null; cur.submit = null; })
      .then(function (cur) { take(cur); kick(); });
  });
  statusBox.insertAdjacentElement("afterend", retry);
  /* "Not done" and "discard" go through the outbox like everything else, so they work in a dead zone too. */
  var notDoneForm = document.querySelector("#not-done-box form");
  if (notDoneForm) notDoneForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var select = notDoneForm.querySelector("select[name=reason]"), note = notDoneForm.querySelector("[name=note]");
    var label = select.options[select.selectedIndex] ? select.options[select.selectedIndex].text : select.value;
    O.change(key, function (cur) {
      if (cur.audit || cur.checkIn || cur.notDone) return;
      cur.notDone = { uuid: O.uuid(), reason: select.value, label: label, note: note ? note.value : "", done: false };
      cur.blocked = null;
    }).then(function (cur) { take(cur); kick(); });
  });
  var discard = document.querySelector("#discard-box form");
  if (discard) discard.addEventListener("submit", function (event) {
    event.preventDefault();
    O.discard(key, discard.querySelector("[name=reason]").value.trim()).then(function (cur) {
      discard.closest("details").open = false;
      take(cur); kick();
    });
  });

  O.onChange(function (changed) { if (changed === key) refresh(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "tekseru-outbox" && event.data.key === key) refresh();
    });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no offline pages */ });
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
  window.addEventListener("online", function () { render(); kick(); });
  window.addEventListener("offline", render);
  setInterval(function () { if (rec && O.pending(rec) && !rec.blocked) kick(); }, 30000);

  O.setCsrf(csrf).then(seed).then(function (cur) { take(cur); kick(); });
})();
