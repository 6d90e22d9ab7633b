// Local stand-in for Shopify's App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js).
// Like the real one it runs inside the app's iframe, gets session tokens from the admin page
// around it by postMessage, adds `Authorization: Bearer <token>` to the app's own fetches, follows
// the `shopify-reload` bounce, and turns <ui-nav-menu> / <ui-title-bar> into admin chrome.
(function () {
  "use strict";
  var script = document.currentScript;
  var params = new URLSearchParams(window.location.search);
  var adminOrigin = script ? new URL(script.src).origin : "*";
  var pending = new Map();
  var nextId = 1;
  var cached = null;

  function post(message) {
    if (window.parent !== window) window.parent.postMessage(message, adminOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== adminOrigin || !event.data || typeof event.data !== "object") return;
    var data = event.data;
    if (data.type === "shopify:idToken:reply" && pending.has(data.id)) {
      var waiter = pending.get(data.id);
      pending.delete(data.id);
      if (data.token) waiter.resolve(data.token);
      else waiter.reject(new Error(data.error || "no session token"));
    } else if (data.type === "shopify:navigate" && typeof data.path === "string") {
      navigate(data.path);
    }
  });

  function decodeExp(token) {
    try {
      var payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch (e) {
      return 0;
    }
  }

  function idToken() {
    if (cached && decodeExp(cached) - Date.now() > 10000) return Promise.resolve(cached);
    if (window.parent === window) return Promise.reject(new Error("App Bridge: the app is not embedded"));
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      pending.set(id, { resolve: function (t) { cached = t; resolve(t); }, reject: reject });
      post({ type: "shopify:idToken", id: id });
      setTimeout(function () {
        if (pending.delete(id)) reject(new Error("App Bridge: session token request timed out"));
      }, 5000);
    });
  }

  function embeddedParams() {
    var keep = new URLSearchParams();
    ["shop", "host", "embedded", "locale"].forEach(function (key) {
      var value = params.get(key);
      if (value) keep.set(key, value);
    });
    return keep;
  }

  function navigate(path) {
    var target = new URL(path, window.location.origin);
    if (target.origin !== window.location.origin) return;
    idToken().then(function (token) {
      var query = embeddedParams();
      target.searchParams.forEach(function (value, key) { query.set(key, value); });
      query.set("id_token", token);
      window.location.assign(target.pathname + "?" + query.toString());
    });
  }

  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, window.location.href);
    if (url.origin !== window.location.origin) return realFetch(input, init);
    function withToken(token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      headers.set("Authorization", "Bearer " + token);
      return realFetch(input, Object.assign({}, init, { headers: headers }));
    }
    return idToken().then(withToken).then(function (response) {
      if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
        cached = null;
        return idToken().then(withToken);
      }
      return response;
    });
  };

  var shopify = {
    config: { apiKey: script && script.getAttribute("data-api-key"), shop: params.get("shop"), host: params.get("host"), locale: params.get("locale") || "en" },
    environment: { embedded: window.parent !== window, mobile: false, pos: false },
    origin: adminOrigin,
    idToken: idToken,
    toast: { show: function (message) { post({ type: "shopify:toast", message: String(message) }); }, hide: function () {} },
    loading: function (on) { post({ type: "shopify:loading", on: Boolean(on) }); },
    user: function () { return Promise.resolve({}); },
  };
  window.shopify = shopify;

  // App Bridge's elements are data, not UI. Hidden by a style rule rather than an inline style,
  // so React's hydration of server-rendered markup sees no attribute it did not render.
  var hide = document.createElement("style");
  hide.textContent = "ui-nav-menu, ui-title-bar { display: none; }";
  document.head.appendChild(hide);

  function defineElement(name, onChange) {
    if (customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() {
        var el = this;
        onChange(el);
        el._observer = new MutationObserver(function () { onChange(el); });
        el._observer.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      disconnectedCallback() {
        if (this._observer) this._observer.disconnect();
      }
    });
  }
  defineElement("ui-nav-menu", function (el) {
    var items = Array.prototype.map.call(el.querySelectorAll("a"), function (a) {
      return { label: a.textContent.trim(), path: new URL(a.getAttribute("href"), window.location.href).pathname, home: a.getAttribute("rel") === "home" };
    });
    post({ type: "shopify:nav", items: items, current: window.location.pathname });
  });
  defineElement("ui-title-bar", function (el) {
    post({ type: "shopify:title", title: el.getAttribute("title") || "" });
  });

  // Links into Shopify admin (`shopify://admin/customers/1`, or `shopify:admin/…`) open in the
  // admin around the app, as the real App Bridge does; a browser alone knows no such scheme.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      var href = link ? link.getAttribute("href") : "";
      var match = /^shopify:(?:\/\/)?admin(\/[A-Za-z0-9_\-/]*)$/.exec(href || "");
      if (!match) return;
      event.preventDefault();
      post({ type: "shopify:admin", path: match[1] });
    },
    true,
  );

  // The bounce page: the server asked for a fresh session token and a reload.
  var reload = params.get("shopify-reload");
  if (reload) {
    var target = new URL(reload, window.location.href);
    if (target.origin === window.location.origin) {
      idToken().then(function (token) {
        target.searchParams.set("id_token", token);
        window.location.replace(target.href);
      });
    }
  }
})();
