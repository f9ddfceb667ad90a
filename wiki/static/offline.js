// Offline reading on the page side (issue 16): register the service worker, the "Save offline"
// button of a sheet, the "copy from" notice, refreshing saved copies when back online, and the
// list and search of saved sheets on /offline.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  var SAVED = "sheets-saved-v1", RECENT = "sheets-recent-v1";
  // After the page has loaded: the worker's install must not compete with the page's own files.
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });

  function store(url) {  // always the anonymous page: never someone's signed-in view
    return fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok || response.headers.get("X-Offline") !== "public") { throw new Error("not saved"); }
      return caches.open(SAVED).then(function (cache) { return cache.put(url, response); });
    });
  }

  // What the page being saved shows (issue 16): its photos, in the size this screen shows and
  // the thumbnails not loaded yet, and its style sheets and scripts (which may have come from
  // the browser's own cache, never through the service worker). Fetched from here, each passes
  // through the service worker, which keeps it; the browser's cache may be emptied any day.
  function storeFiles() {
    var urls = {};
    document.querySelectorAll(".gallery img, .prose img").forEach(function (img) {
      [img.currentSrc, img.getAttribute("src")].forEach(function (src) {
        if (src) { urls[new URL(src, location.href).href] = true; }
      });
    });
    document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (tag) {
      var url = new URL(tag.getAttribute("href") || tag.getAttribute("src"), location.href);
      if (url.origin === location.origin) { urls[url.href] = true; }
    });
    return Promise.all(Object.keys(urls).map(function (url) {
      return fetch(url, { credentials: "omit" }).catch(function () {});
    }));
  }

  var button = document.querySelector("[data-save-offline]");
  if (button) {
    var here = location.origin + location.pathname;
    button.hidden = false;
    caches.match(here, { cacheName: SAVED }).then(function (hit) {
      if (hit) { button.textContent = button.dataset.savedText; }
    });
    button.addEventListener("click", function () {
      Promise.all([store(here), storeFiles()]).then(function () {
        button.textContent = button.dataset.savedText;
        button.setAttribute("data-saved", "true");
      }).catch(function () { button.textContent = button.dataset.failedText; });
    });
    var notice = document.querySelector("[data-offline-copy]");
    if (notice && !navigator.onLine) {
      caches.match(here).then(function (hit) {
        if (!hit) { return; }
        var when = new Date(hit.headers.get("Date") || Date.now());
        notice.textContent = notice.dataset.template.replace("{date}", when.toLocaleString());
        notice.hidden = false;
      });
    }
  }

  window.addEventListener("online", function () {  // refresh saved copies, then this page
    caches.open(SAVED).then(function (cache) { return cache.keys(); }).then(function (keys) {
      return Promise.all(keys.map(function (key) { return store(key.url).catch(function () {}); }));
    });
  });

  var list = document.querySelector("[data-offline-list]");
  if (!list) { return; }
  var offlineNotice = document.querySelector("[data-offline-notice]");
  if (offlineNotice) { offlineNotice.hidden = navigator.onLine; }
  var entries = [];
  function read(cacheName, label) {
    return caches.open(cacheName).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) {
          return cache.match(key).then(function (response) {
            return response.text().then(function (html) {
              var doc = new DOMParser().parseFromString(html, "text/html");
              var title = doc.querySelector("h1"), body = doc.querySelector("main");
              entries.push({ url: key.url, label: label, date: response.headers.get("Date"),
                             title: title ? title.textContent.trim() : key.url,
                             text: (body ? body.textContent : "").toLowerCase() });
            });
          });
        }));
      });
    });
  }
  function show(filter) {
    list.textContent = "";
    var seen = {};
    entries.forEach(function (entry) {
      if (seen[entry.url]) { return; }
      var words = (filter || "").toLowerCase().split(/\s+/).filter(Boolean);
      if (!words.every(function (word) { return entry.text.indexOf(word) >= 0 || entry.title.toLowerCase().indexOf(word) >= 0; })) { return; }
      seen[entry.url] = true;
      var item = document.createElement("li"), link = document.createElement("a"), hint = document.createElement("span");
      link.href = entry.url; link.textContent = entry.title;
      hint.className = "hint";
      hint.textContent = " · " + entry.label + " · " + list.dataset.copyFrom.replace("{date}", new Date(entry.date || Date.now()).toLocaleString());
      item.appendChild(link); item.appendChild(hint); list.appendChild(item);
    });
    document.querySelector("[data-offline-empty]").hidden = list.children.length > 0;
  }
  read(SAVED, list.dataset.savedLabel).then(function () { return read(RECENT, list.dataset.recentLabel); })
    .then(function () { show(""); });
  var search = document.querySelector("[data-offline-search]");
  search.addEventListener("input", function () { show(search.value); });
})();
