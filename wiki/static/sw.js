// practice-wiki service worker (issue 16): sheets saved for offline reading and the last 20
// read. Only responses the server marks "X-Offline: public" (pages rendered for an anonymous
// reader, without forms or CSRF tokens) are ever stored; signed-in pages pass through.
"use strict";

var SAVED = "sheets-saved-v1", RECENT = "sheets-recent-v1", ASSETS = "assets-v1";
var RECENT_LIMIT = 20;
// Photos and other uploads (issue 16): immutable files named by content, public by address,
// kept as pages use them (a saved or recently read sheet shows its photos offline).
var IMAGES = "images-v1", IMAGE_LIMIT = 400;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return fetch("/offline", { credentials: "omit" }).then(function (response) {
      if (response.ok) { return cache.put("/offline", response); }
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function isPublic(response) {
  return response && response.ok && response.headers.get("X-Offline") === "public";
}

function remember(request, response) {
  return caches.open(RECENT).then(function (cache) {
    return cache.put(request.url, response).then(function () { return cache.keys(); })
      .then(function (keys) {
        var extra = keys.length - RECENT_LIMIT;  // keys come oldest first
        return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (key) { return cache.delete(key); }));
      });
  });
}

function fromCache(url) {
  return caches.match(url, { cacheName: SAVED }).then(function (hit) {
    return hit || caches.match(url, { cacheName: RECENT });
  });
}

function upload(request, url) {
  return caches.open(IMAGES).then(function (cache) {
    return cache.match(url.href).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") { keepImage(cache, url.href, response.clone()); }
        return response;
      }).catch(function () { return anotherSize(cache, url); });
    });
  });
}

function keepImage(cache, key, response) {
  return cache.put(key, response).then(function () { return cache.keys(); }).then(function (keys) {
    var extra = keys.length - IMAGE_LIMIT;
    return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (old) { return cache.delete(old); }));
  });
}

// Offline, the layout may ask for another width of a photo than the one kept: any kept size
// of the same photo ("<name>-640.webp" and "<name>.webp" share "<name>") is better than none.
function anotherSize(cache, url) {
  var stem = url.pathname.replace(/(-\d+)?\.webp$/, "");
  return cache.keys().then(function (keys) {
    var same = keys.filter(function (key) { return new URL(key.url).pathname.replace(/(-\d+)?\.webp$/, "") === stem; });
    return same.length ? cache.match(same[same.length - 1]) :
      new Response("", { status: 503, statusText: "offline" });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {  // versioned assets: the cache first
    event.respondWith(caches.open(ASSETS).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/uploads/") === 0) {
    event.respondWith(upload(request, url));
    return;
  }
  if (request.mode !== "navigate") { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (isPublic(response) && url.pathname.indexOf("/practices/") === 0) {
      remember(request, response.clone());
    }
    return response;
  }).catch(function () {
    return fromCache(url.href).then(function (hit) {
      return hit || caches.match("/offline", { cacheName: ASSETS }) ||
        new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  }));
});
