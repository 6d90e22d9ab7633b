/* global document, fetch, FormData, URLSearchParams */
// Sends the signup form with fetch (without JavaScript it posts as a plain form) and shows the
// answer in its status region; field errors go next to their fields and the first invalid field
// gets the focus. The checks here are hints: the app validates again.
(() => {
  const PHONE = /^\+?[0-9][0-9 ().-]{5,19}$/;
  const setup = (form) => {
    if (form.dataset.hsReady) return;
    form.dataset.hsReady = "1";
    form.noValidate = true;
    const text = form.dataset;
    const status = form.querySelector(".hs-signup__status");
    const button = form.querySelector("[type=submit]");
    const field = (name) => form.elements.namedItem(name);
    const say = (message) => (status.textContent = message || "");
    const errorOf = (el) => el && el.id && document.getElementById(el.id + "-error");
    const clear = () => {
      for (const el of form.querySelectorAll("[aria-invalid]")) {
        el.removeAttribute("aria-invalid");
        const error = errorOf(el);
        if (error) error.textContent = "";
      }
    };
    // marks the fields it knows and returns the messages of those it does not
    const show = (errors) => {
      const others = [];
      for (const [name, message] of Object.entries(errors || {})) {
        const el = field(name);
        const error = errorOf(el);
        if (!error) {
          others.push(message);
          continue;
        }
        el.setAttribute("aria-invalid", "true");
        error.textContent = message;
      }
      const first = form.querySelector("[aria-invalid]");
      if (first) first.focus();
      return others;
    };
    const check = () => {
      const errors = {};
      const email = field("email");
      const phone = field("phone");
      const emailOn = field("email_consent").checked;
      const smsOn = field("sms_consent").checked;
      const hasEmail = email.value.trim() !== "";
      const hasPhone = phone.value.trim() !== "";
      if (hasEmail && !email.checkValidity()) errors.email = text.errorEmail;
      else if (emailOn && !hasEmail) errors.email = text.errorEmailMissing;
      else if (hasEmail && !emailOn && !smsOn) errors.email_consent = text.errorEmailConsent;
      if (hasPhone && !PHONE.test(phone.value.trim())) errors.phone = text.errorPhone;
      else if (smsOn && !hasPhone) errors.phone = text.errorPhoneMissing;
      else if (hasPhone && !smsOn && !emailOn) errors.sms_consent = text.errorSmsConsent;
      if (!hasEmail && !hasPhone && !emailOn && !smsOn) errors.email = text.errorNone;
      return errors;
    };
    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      clear();
      say("");
      show(check());
      if (form.querySelector("[aria-invalid]")) return;
      busy = true;
      button.setAttribute("aria-disabled", "true");
      say(text.sending);
      try {
        const response = await fetch(form.action, {
          method: "POST",
          headers: { Accept: "application/json" },
          body: new URLSearchParams(new FormData(form)),
        });
        const answer = await response.json();
        if (answer.ok) form.reset();
        say([answer.message, ...show(answer.fieldErrors)].filter(Boolean).join(" "));
      } catch {
        say(text.errorNetwork);
      }
      busy = false;
      button.removeAttribute("aria-disabled");
    });
  };
  const init = () => document.querySelectorAll("form.hs-signup__form").forEach(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
