/* global document, navigator, setTimeout */
// The page may come from Shopify's cache, so the banner is decided again from the shopper's clock:
// hidden before its start and after the last deadline, else the first deadline still ahead, its
// date written in the shopper's language and time zone. Runs again when the next boundary passes.
(() => {
  const dateOf = (message, until, locale) => {
    const el = message.querySelector(".hs-banner__date");
    const browser = navigator.language || "";
    const lang =
      browser.split("-")[0].toLowerCase() === locale.split("-")[0].toLowerCase() ? browser : locale;
    try {
      const format = new Intl.DateTimeFormat(lang, { weekday: "long", month: "long", day: "numeric" });
      if (el) el.textContent = format.format(new Date(until * 1000));
    } catch {
      // an unknown locale keeps the date the shop rendered
    }
  };
  const run = () => {
    const now = Date.now() / 1000;
    let wake = Infinity;
    for (const bar of document.querySelectorAll(".hs-banner[data-show-from]")) {
      const from = Number(bar.getAttribute("data-show-from")) || 0;
      let shown = null;
      if (from > now) wake = Math.min(wake, from);
      for (const message of bar.querySelectorAll("[data-until]")) {
        const until = Number(message.getAttribute("data-until"));
        const on = !shown && from <= now && until > now;
        if (on) {
          shown = message;
          wake = Math.min(wake, until);
          dateOf(message, until, bar.getAttribute("data-locale") || "en");
        }
        message.hidden = !on;
      }
      bar.hidden = !shown;
    }
    const ms = (wake - now) * 1000 + 1000;
    if (ms < 864e5) setTimeout(run, ms);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
