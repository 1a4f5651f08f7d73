/* Heard's kiosk service worker (scope /k/): keeps what a kiosk needs to work offline.
   The kiosk page tells it what to keep (its pages, questionnaire, styles, script, pictures and
   clips). Those are fetched from the network first, so they stay fresh, and from this cache
   when the tablet is offline or the network is too slow. Nothing a child answers is ever
   cached here: answers are POSTed, and POSTs pass straight through. */
const CACHE = "heard-kiosk-v1";
const SLOW_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
  await self.clients.claim();
})()));

self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then((res) => (res.ok ? cache.put(url, res) : null))
      .catch(() => null)))));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  const kept = req.mode === "navigate" ? /^\/k\/[^/]+(\/practice)?$/.test(url.pathname)
    : url.pathname.startsWith("/static/") || url.pathname.startsWith("/api/v1/sessions/");
  if (kept) event.respondWith(networkFirst(req));
});

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  const options = { ignoreVary: true };
  try {
    const res = await Promise.race([
      fetch(req),
      new Promise((_, fail) => setTimeout(() => fail(new Error("slow")), SLOW_MS)),
    ]);
    // Refresh only what a kiosk asked to keep; everything else just passes through.
    if (res.ok && (await cache.match(req, options))) await cache.put(req, res.clone());
    return res;
  } catch (e) {
    const hit = (await cache.match(req, options)) || (await cache.match(req, { ...options, ignoreSearch: true }));
    if (hit) return hit;
    throw e;
  }
}
