/* The quick-log (monitor/web/quicklog.py): each request waits in an outbox on the phone (IndexedDB) until the server
   has it. The id the phone gives it when Save is tapped makes sending again safe: the server stores one request per id.
   This one file is the page's script and, through importScripts, how the service worker sends what waits
   (Background Sync); the part that draws the page runs only where there is a document. */
"use strict";

self.QuickLog = (() => {
  const DB_NAME = "monitor-quicklog";
  const STORE = "outbox";
  const API = "/api/quicklog/";
  const SYNC_TAG = "quicklog-outbox";

  function database() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id" });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }

  async function inStore(mode, work) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => { db.close(); resolve(request.result); };
      transaction.onerror = transaction.onabort = () => { db.close(); reject(transaction.error); };
    });
  }

  const entries = () => inStore("readonly", (store) => store.getAll());
  const keep = (entry) => inStore("readwrite", (store) => store.put(entry));
  const drop = (id) => inStore("readwrite", (store) => store.delete(id));
  const byTapped = (a, b) => (a.tapped_at < b.tapped_at ? -1 : a.tapped_at > b.tapped_at ? 1 : 0);

  /* Who is signed in now, with the token their saves carry; null when nobody is (throws when offline). */
  async function signedIn() {
    const response = await fetch(API + "session", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error("session: HTTP " + response.status);
    return response.json();
  }

  /* Send what waits of the person signed in now, oldest first; never another person's entries. Resolves with who is
     signed in (null: nobody, the entries wait); rejects when the line or the server failed, to be tried again, saying
     how many went before it did (error.progress: the line works now and then, so the next try comes soon). */
  async function sendRound(tell) {
    const who = await signedIn();
    tell(who ? "session" : "signed_out", null, who);
    if (!who) return null;
    const waiting = (await entries()).filter((e) => e.state === "waiting" && e.person === who.person);
    let sent = 0;
    try {
      for (const entry of waiting.sort(byTapped)) {
        const response = await fetch(API + "requests", {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": who.csrf },
          body: JSON.stringify(entry.body),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.ok) {
          await drop(entry.id);
          sent += 1;
          tell("sent", entry, answer);
        } else if (response.status === 401) {
          tell("signed_out", null, null);
          return null;
        } else if (response.status >= 500 || !answer.code || answer.code === "csrf") {
          throw new Error("send: HTTP " + response.status); // the line, the server or an old token: try again
        } else {
          entry.state = "refused"; // the server will not take it (too old, not a coproducer): never sent again
          entry.message = answer.message || "HTTP " + response.status;
          await keep(entry);
          tell("refused", entry, answer);
        }
      }
    } catch (error) {
      throw Object.assign(new Error(String(error && error.message)), { progress: sent });
    }
    return who;
  }

  // One round at a time in each page and in the worker; a round in each at once is harmless (one request per id).
  let round = null;
  function sendWaiting(tell) {
    round = round || sendRound(tell || (() => {})).finally(() => { round = null; });
    return round;
  }

  const api = { entries, keep, drop, sendWaiting, signedIn, SYNC_TAG, API };
  if (typeof document !== "undefined") document.addEventListener("DOMContentLoaded", () => startPage(api));
  return api;
})();

function startPage(outbox) {
  const $ = (id) => document.getElementById(id);
  const { texts: T, settings: S } = JSON.parse($("quicklog-data").textContent);
  const form = $("log");
  const PERSON_KEY = "quicklog-person";
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const lowerFirst = (word) => word.charAt(0).toLowerCase() + word.slice(1);
  const when = new Intl.DateTimeFormat(S.language === "nl" ? "nl-NL" : "en-GB", { dateStyle: "short", timeStyle: "short" });
  let who = remembered(); // {person, language, csrf?}: the last person signed in on this phone
  let signedOut = false;
  let retryDelay = 0;
  let retryTimer = null;
  let undoTimer = null;

  function remembered() {
    try { return JSON.parse(localStorage.getItem(PERSON_KEY)); } catch (error) { return null; }
  }
  function remember(person) {
    if (person) localStorage.setItem(PERSON_KEY, JSON.stringify({ person: person.person, language: person.language }));
    else localStorage.removeItem(PERSON_KEY);
  }
  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function minutesText(minutes) {
    const choices = S.minute_choices;
    if (minutes === choices[choices.length - 1]) return fill(T.hours_more, { hours: minutes / 60 });
    if (minutes >= 60 && minutes % 60 === 0 && choices.includes(minutes)) return fill(T.hour, { hours: minutes / 60 });
    return fill(T.minutes_short, { minutes });
  }
  function summary(body) {
    const words = [T.labels[body.channel], ...body.topics.map((t) => T.topic_labels[t])].map(lowerFirst);
    return [...words, minutesText(body.minutes)].join(", ");
  }
  function localInput(date) {
    const p = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
  }
  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  /* The form's choices as the body the server reads, or the first thing still missing. */
  function chosen() {
    const data = new FormData(form);
    const channel = data.get("channel");
    const topics = data.getAll("topics");
    const picked = data.get("minutes");
    const minutes = picked === "exact" ? parseInt($("exact").value, 10) : parseInt(picked, 10);
    if (!channel) return { missing: T.channel, field: "channel" };
    if (!topics.length) return { missing: T.topics, field: "topics" };
    const tooLong = picked === "exact" && minutes > Number($("exact").max);
    if (!picked || !(minutes > 0) || tooLong) return { missing: T.minutes, field: picked === "exact" ? "exact" : "minutes" };
    let earlier = null;
    if (data.get("when") === "earlier") {
      // Within what the server takes: not in the future, not more than earlier_days back (else it would be refused).
      const moment = new Date($("earlier").value);
      const oldest = Date.now() - S.earlier_days * 86400000;
      if (!$("earlier").value || isNaN(moment) || moment > Date.now() || moment < oldest) {
        return { missing: T.earlier, field: "earlier" };
      }
      earlier = moment.toISOString();
    }
    return { body: { channel, topics, minutes, earlier, beyond_role: data.get("beyond_role") === "1" } };
  }

  function showProblem(text, field) {
    $("problem").textContent = text || "";
    $("problem").hidden = !text;
    if (field) (form.querySelector(`[name="${field}"]`) || $(field)).focus();
  }

  function showExtras() {
    const data = new FormData(form);
    $("exact-field").hidden = data.get("minutes") !== "exact";
    const earlier = data.get("when") === "earlier";
    if (earlier && $("earlier-field").hidden) {
      const now = new Date();
      $("earlier").max = localInput(now);
      $("earlier").min = localInput(new Date(now.getTime() - S.earlier_days * 86400000));
      $("earlier").value = localInput(now);
    }
    $("earlier-field").hidden = !earlier;
  }

  function showSaved(answer) {
    const status = $("status");
    status.replaceChildren();
    clearTimeout(undoTimer);
    status.append(element("p", answer.saved, "msg ok"));
    if (answer.outside) status.append(element("p", answer.outside, "msg info"));
    const left = new Date(answer.undo_until).getTime() - Date.now();
    if (left > 0) {
      const undo = element("button", T.undo, "quiet");
      undo.type = "button";
      undo.id = "undo";
      undo.addEventListener("click", () => takeBack(answer, undo));
      status.append(undo);
      undoTimer = setTimeout(() => undo.remove(), left);
    }
  }

  async function takeBack(answer, button) {
    button.disabled = true;
    try {
      const current = who && who.csrf ? who : await outbox.signedIn();
      const response = await fetch(outbox.API + "undo", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": current.csrf },
        body: JSON.stringify({ request_id: answer.request_id }),
      });
      const said = await response.json().catch(() => ({}));
      $("status").replaceChildren(element("p", said.message || T.offline_undo, response.ok ? "msg info" : "msg error"));
    } catch (error) {
      button.disabled = false;
      $("status").append(element("p", T.offline_undo, "msg error"));
    }
  }

  async function draw() {
    const all = await outbox.entries();
    const mine = all.filter((e) => who && e.person === who.person);
    const others = all.length - mine.length;
    const waiting = mine.filter((e) => e.state === "waiting");
    $("outbox").hidden = !all.length;
    $("outbox-text").hidden = $("outbox-count").hidden = !waiting.length;
    $("outbox-count").textContent = waiting.length ? `(${waiting.length})` : "";
    $("outbox").dataset.waiting = String(waiting.length);
    const notes = [];
    if (signedOut && mine.length) notes.push(T.signed_out);
    if (!who) notes.push(T.no_person);
    if (others) notes.push(fill(T.others, { count: others }));
    $("outbox-note").replaceChildren(...notes.map((note) => element("span", note + " ")));
    if (signedOut || !who) {
      const link = element("a", T.sign_in);
      link.href = "/auth/login?next=/snel/";
      $("outbox-note").append(link);
    }
    $("outbox-note").hidden = !notes.length;
    $("outbox-toggle").hidden = !mine.length;
    const list = $("outbox-list");
    list.replaceChildren(...mine.sort((a, b) => (a.tapped_at < b.tapped_at ? -1 : 1)).map(item));
    list.hidden = $("outbox-toggle").getAttribute("aria-expanded") !== "true" || !mine.length;
  }

  function item(entry) {
    const li = element("li", null, entry.state === "refused" ? "refused" : "waiting");
    li.append(element("span", summary(entry.body), "what"));
    li.append(element("span", fill(T.tapped, { when: when.format(new Date(entry.tapped_at)) }), "when"));
    if (entry.state === "refused") li.append(element("span", fill(T.refused, { message: entry.message }), "why"));
    const remove = element("button", T.delete, "quiet");
    remove.type = "button";
    remove.addEventListener("click", async () => { await outbox.drop(entry.id); draw(); });
    li.append(remove);
    return li;
  }

  function tell(kind, entry, answer) {
    if (kind === "session") {
      const changed = !who || who.person !== answer.person;
      who = answer;
      signedOut = false;
      remember(answer);
      if (changed) draw();
    } else if (kind === "signed_out") {
      signedOut = true;
    } else if (kind === "sent") {
      showSaved(answer);
    }
  }

  /* Send now; when the line or the server fails, try again after 1, 2, 4 ... up to 30 seconds (a tap starts again
     at 1: someone is there, and the line may be back). */
  function sendNow() {
    clearTimeout(retryTimer);
    outbox.sendWaiting(tell).then(() => { retryDelay = 0; }, async (error) => {
      const waiting = (await outbox.entries()).some((e) => e.state === "waiting");
      if (!waiting) return;
      retryDelay = error.progress || !retryDelay ? 1000 : Math.min(30000, retryDelay * 2);
      retryTimer = setTimeout(sendNow, retryDelay);
    }).finally(draw);
  }

  function askTheWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(outbox.SYNC_TAG))
      .catch(() => {}); // no Background Sync (Safari, Firefox): the online event and the retries send instead
  }

  form.addEventListener("change", () => { showExtras(); showProblem(""); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const tapped = new Date().toISOString(); // the moment Save was tapped: the request's moment received
    const choice = chosen();
    if (choice.missing) return showProblem(choice.missing, choice.field);
    if (!who) return showProblem(T.no_person);
    const id = newId();
    const body = { id, person: who.person, tapped_at: tapped, ...choice.body };
    await outbox.keep({ id, person: who.person, tapped_at: tapped, state: "waiting", body });
    form.reset();
    showExtras();
    showProblem("");
    $("status").replaceChildren();
    window.scrollTo({ top: 0 });
    await draw();
    askTheWorker();
    retryDelay = 0;
    sendNow();
  });

  $("outbox-toggle").addEventListener("click", () => {
    const open = $("outbox-toggle").getAttribute("aria-expanded") !== "true";
    $("outbox-toggle").setAttribute("aria-expanded", String(open));
    $("outbox-toggle").textContent = open ? T.hide : T.show;
    draw();
  });

  $("sign-out").addEventListener("click", async () => {
    const waiting = (await outbox.entries()).filter((e) => who && e.person === who.person).length;
    if (!waiting) return signOut();
    const dialog = $("confirm-sign-out");
    $("confirm-text").textContent = fill($("confirm-text").dataset.text, { count: waiting });
    dialog.returnValue = "";
    dialog.showModal();
  });
  $("confirm-sign-out").addEventListener("close", () => {
    if ($("confirm-sign-out").returnValue === "out") signOut();
  });
  function signOut() {
    remember(null); // the next person on this phone is not taken for this one
    $("sign-out-form").submit();
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/snel/sw.js", { scope: "/snel/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.kind === "sent") showSaved(event.data.answer);
      draw();
    });
  }
  window.addEventListener("online", sendNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sendNow(); });
  showExtras();
  document.documentElement.dataset.ready = "true"; // Save works from here on (the tests and the measurements wait for it)
  draw().then(sendNow);
}
