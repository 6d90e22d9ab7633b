export interface AdminPageArgs {
  shop: string;
  storeHandle: string;
  apiKey: string;
  appSrc: string;
  appOrigin: string;
}

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The admin page around the app. Its script is the parent half of the App Bridge stand-in. */
export function renderAdminPage(args: AdminPageArgs): string {
  const config = JSON.stringify({ appOrigin: args.appOrigin, storeHandle: args.storeHandle }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(args.shop)} · Shopify admin (local emulator)</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; display: grid; grid-template-columns: 220px 1fr; grid-template-rows: 48px 1fr; height: 100vh; background: #f1f1f1; }
  header { grid-column: 1 / 3; background: #1a1a1a; color: #fff; display: flex; align-items: center; padding: 0 16px; gap: 12px; font-size: 14px; }
  header .badge { background: #ffd79d; color: #4f2e00; border-radius: 8px; padding: 2px 8px; font-size: 12px; }
  nav { padding: 12px 8px; border-right: 1px solid #e3e3e3; }
  nav h2 { font-size: 12px; color: #616161; margin: 8px; text-transform: uppercase; }
  nav button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 6px 8px; border-radius: 8px; font: inherit; cursor: pointer; }
  nav button[aria-current="page"] { background: #fff; font-weight: 600; }
  main { display: grid; grid-template-rows: auto 1fr; min-width: 0; }
  #title { margin: 0; padding: 12px 16px; font-size: 16px; }
  iframe { border: 0; width: 100%; height: 100%; background: #f1f1f1; }
  #toast { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); background: #1a1a1a; color: #fff; padding: 8px 16px; border-radius: 8px; display: none; }
</style>
</head>
<body>
<header><strong>${escapeHtml(args.shop)}</strong><span class="badge">Local Shopify emulator</span></header>
<nav aria-label="App navigation"><h2>Holiday Segments</h2><div id="nav"></div></nav>
<main><h1 id="title"></h1><iframe id="app" title="App" name="app-iframe" src="${escapeHtml(args.appSrc)}"></iframe></main>
<div id="toast" role="status"></div>
<script>
(function () {
  var config = ${config};
  var frame = document.getElementById("app");
  function reply(message) { frame.contentWindow.postMessage(message, config.appOrigin); }
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== config.appOrigin) return;
    var data = event.data || {};
    if (data.type === "shopify:idToken") {
      fetch("/store/" + config.storeHandle + "/session-token", { method: "POST" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
        .then(function (body) { reply({ type: "shopify:idToken:reply", id: data.id, token: body.token }); })
        .catch(function (e) { reply({ type: "shopify:idToken:reply", id: data.id, error: String(e) }); });
    } else if (data.type === "shopify:nav") {
      var nav = document.getElementById("nav");
      nav.textContent = "";
      (data.items || []).forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = item.label;
        if (item.path === data.current || (item.home && data.current === "/app")) button.setAttribute("aria-current", "page");
        button.addEventListener("click", function () { reply({ type: "shopify:navigate", path: item.path }); });
        nav.appendChild(button);
      });
    } else if (data.type === "shopify:admin" && /^[/][A-Za-z0-9_/-]*$/.test(String(data.path))) {
      window.location.assign("/store/" + config.storeHandle + data.path);
    } else if (data.type === "shopify:title") {
      document.getElementById("title").textContent = data.title;
      document.title = data.title + " · ${escapeHtml(args.shop)}";
    } else if (data.type === "shopify:toast") {
      var toast = document.getElementById("toast");
      toast.textContent = data.message;
      toast.style.display = "block";
      setTimeout(function () { toast.style.display = "none"; }, 3000);
    }
  });
})();
</script>
</body>
</html>`;
}
