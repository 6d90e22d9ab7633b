// What the storefront's signup says back to the shopper, in the storefront's language. English is
// the fallback for any locale without its own texts.

export const SIGNUP_LOCALES = ["en", "fr"] as const;
export type SignupLocale = (typeof SIGNUP_LOCALES)[number];

export const SIGNUP_MESSAGE_KEYS = [
  "emailInvalid",
  "phoneInvalid",
  "emailNeedsConsent",
  "phoneNeedsConsent",
  "consentNeedsEmail",
  "consentNeedsPhone",
  "nothingChosen",
  "disclosureMissing",
  "smsDisclosureIncomplete",
  "notYourEmail",
  "notYourPhone",
  "phoneTaken",
  "tooMany",
  "pendingEmail",
  "subscribed",
  "alreadySubscribed",
  "confirmed",
  "alreadyConfirmed",
  "confirmInvalid",
  "confirmExpired",
  "unavailable",
  "back",
  "thanksTitle",
  "problemTitle",
] as const;
export type SignupMessageKey = (typeof SIGNUP_MESSAGE_KEYS)[number];

const en: Record<SignupMessageKey, string> = {
  emailInvalid: "Enter an email address like name@example.com.",
  phoneInvalid: "Enter a mobile number with its country code, like +1 212 555 0100.",
  emailNeedsConsent: "Tick the email box to get our emails, or leave the email address empty.",
  phoneNeedsConsent: "Tick the text message box to get our texts, or leave the phone number empty.",
  consentNeedsEmail: "Enter your email address to get our emails.",
  consentNeedsPhone: "Enter your mobile number to get our texts.",
  nothingChosen: "Enter your email address or mobile number and tick the box for it.",
  disclosureMissing: "The consent text of this form is missing; reload the page and try again.",
  smsDisclosureIncomplete:
    "This form cannot sign you up for texts: its terms must say how to stop (STOP) and get help (HELP).",
  notYourEmail: "You are logged in with another email address; change it in your account first.",
  notYourPhone: "You are logged in with another phone number; change it in your account first.",
  phoneTaken: "This number belongs to another account. Log in to that account to sign it up.",
  tooMany: "Too many attempts from your connection. Please wait a minute and try again.",
  pendingEmail: "Almost done: we sent you an email. Click the link in it to confirm your subscription.",
  subscribed: "Thank you, you are subscribed.",
  alreadySubscribed: "You are already subscribed. Thank you!",
  confirmed: "Thank you, your subscription is confirmed.",
  alreadyConfirmed: "Your subscription was already confirmed. Thank you!",
  confirmInvalid: "This confirmation link is not valid. Please sign up again.",
  confirmExpired: "This confirmation link has expired. Please sign up again.",
  unavailable: "Signing up is not available right now. Please try again later.",
  back: "Back to the shop",
  thanksTitle: "Thank you",
  problemTitle: "Something needs fixing",
};

const fr: Record<SignupMessageKey, string> = {
  emailInvalid: "Saisissez une adresse e-mail du type nom@exemple.fr.",
  phoneInvalid: "Saisissez un numéro de mobile avec son indicatif, par exemple +33 6 12 34 56 78.",
  emailNeedsConsent: "Cochez la case e-mail pour recevoir nos e-mails, ou laissez l’adresse vide.",
  phoneNeedsConsent: "Cochez la case SMS pour recevoir nos SMS, ou laissez le numéro vide.",
  consentNeedsEmail: "Saisissez votre adresse e-mail pour recevoir nos e-mails.",
  consentNeedsPhone: "Saisissez votre numéro de mobile pour recevoir nos SMS.",
  nothingChosen: "Saisissez votre adresse e-mail ou votre numéro de mobile et cochez la case correspondante.",
  disclosureMissing: "Le texte de consentement de ce formulaire manque ; rechargez la page et réessayez.",
  smsDisclosureIncomplete:
    "Ce formulaire ne peut pas vous inscrire aux SMS : ses conditions doivent indiquer comment arrêter (STOP) et obtenir de l’aide (HELP).",
  notYourEmail: "Vous êtes connecté avec une autre adresse e-mail ; modifiez-la d’abord dans votre compte.",
  notYourPhone: "Vous êtes connecté avec un autre numéro ; modifiez-le d’abord dans votre compte.",
  phoneTaken: "Ce numéro appartient à un autre compte. Connectez-vous à ce compte pour l’inscrire.",
  tooMany: "Trop de tentatives depuis votre connexion. Patientez une minute puis réessayez.",
  pendingEmail: "Presque terminé : nous vous avons envoyé un e-mail. Cliquez sur le lien pour confirmer votre inscription.",
  subscribed: "Merci, vous êtes inscrit.",
  alreadySubscribed: "Vous êtes déjà inscrit. Merci !",
  confirmed: "Merci, votre inscription est confirmée.",
  alreadyConfirmed: "Votre inscription était déjà confirmée. Merci !",
  confirmInvalid: "Ce lien de confirmation n’est pas valide. Inscrivez-vous à nouveau.",
  confirmExpired: "Ce lien de confirmation a expiré. Inscrivez-vous à nouveau.",
  unavailable: "L’inscription n’est pas disponible pour le moment. Réessayez plus tard.",
  back: "Retour à la boutique",
  thanksTitle: "Merci",
  problemTitle: "Un point à corriger",
};

const TEXTS: Record<SignupLocale, Record<SignupMessageKey, string>> = { en, fr };

/** "fr-CA" → "fr"; anything unknown → "en". */
export function signupLocale(isoCode: string | null | undefined): SignupLocale {
  const language = (isoCode ?? "").slice(0, 2).toLowerCase();
  return SIGNUP_LOCALES.find((l) => l === language) ?? "en";
}

export function signupMessage(locale: SignupLocale, key: SignupMessageKey): string {
  return TEXTS[locale][key];
}
