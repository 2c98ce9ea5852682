/* The quick-log's service worker (scope /snel/): keeps the page and its files, so that the quick-log opens from the
   home screen with no network, and sends what waits in the outbox when the browser says the line is back
   (Background Sync, where the browser has it). The server writes the version in (a hash of the files). */
"use strict";
importScripts("/snel/quicklog.js");

const CACHE = "quicklog-__VERSION__";
const PAGE = "/snel/";
const FILES = [
  "/snel/quicklog.js",
  "/snel/quicklog.css",
  "/snel/manifest.webmanifest",
  "/snel/icon.svg",
  "/snel/icon-192.png",
  "/snel/icon-512.png",
];
// The page comes from the network when it answers within this time (a new release, another person's language);
// otherwise, or offline, the kept copy opens at once.
const PAGE_WAIT_MS = 2500;

async function keepPage(cache) {
  try {
    const page = await fetch(PAGE, { credentials: "same-origin", cache: "no-cache" });
    if (page.ok && !page.redirected) await cache.put(PAGE, page);
  } catch (error) {
    // offline while installing: the page is kept the next time it opens
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(FILES);
      await keepPage(cache);
      await self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then(async (names) => {
      await Promise.all(names.filter((name) => name.startsWith("quicklog-") && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    }),
  );
});

async function openPage(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    // Not a redirect to the sign-in form (type "opaqueredirect"), not an error: the page itself.
    if (response.ok && response.type === "basic" && !response.redirected) await cache.put(PAGE, response.clone());
    return response;
  });
  const kept = await cache.match(PAGE);
  if (!kept) return fromNetwork;
  const late = new Promise((resolve) => setTimeout(() => resolve(null), PAGE_WAIT_MS));
  try {
    return (await Promise.race([fromNetwork, late])) || kept;
  } catch (error) {
    return kept;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/snel/")) {
    return; // the endpoints and the rest of the app go to the network as always
  }
  if (event.request.mode === "navigate") {
    event.respondWith(openPage(event.request));
    return;
  }
  event.respondWith(
    caches.match(event.request, { ignoreSearch: true, cacheName: CACHE }).then((hit) => hit || fetch(event.request)),
  );
});

function tellPages(kind, entry, answer) {
  self.clients.matchAll({ type: "window" }).then((pages) => {
    for (const page of pages) page.postMessage({ kind, answer: kind === "sent" ? answer : null });
  });
}

self.addEventListener("sync", (event) => {
  if (event.tag === self.QuickLog.SYNC_TAG) event.waitUntil(self.QuickLog.sendWaiting(tellPages));
});
