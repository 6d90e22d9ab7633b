// The UTM parameters of a tracked link. Shopify reads them from the landing page into the order
// (customerJourneySummary, landing_site) and into its own marketing reports; results read them
// back to credit an order to the campaign or flow that brought the customer. Ours replace any the
// merchant wrote, so every tracked link of one send reports the same way. Pure.

export const UTM_SOURCE = "holiday-segments";

export interface Utm {
  medium: "email" | "sms";
  /** the campaign's or flow's key */
  campaign: string;
  /** the send within it */
  content: string;
}

/** The destination with our UTM parameters, or the destination unchanged when it is not an http(s) URL. */
export function withUtm(destination: string, utm: Utm): string {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return destination;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return destination;
  url.searchParams.set("utm_source", UTM_SOURCE);
  url.searchParams.set("utm_medium", utm.medium);
  url.searchParams.set("utm_campaign", utm.campaign);
  url.searchParams.set("utm_content", utm.content);
  return url.toString();
}

export interface LandingUtm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
}

/** The UTM parameters of an order's landing page (a URL or a path), absent ones null. */
export function landingUtm(landingPage: string | null): LandingUtm {
  const none = { source: null, medium: null, campaign: null, content: null };
  if (!landingPage?.includes("?")) return none;
  let params: URLSearchParams;
  try {
    params = new URL(landingPage, "https://shop.invalid").searchParams;
  } catch {
    return none;
  }
  return {
    source: params.get("utm_source"),
    medium: params.get("utm_medium"),
    campaign: params.get("utm_campaign"),
    content: params.get("utm_content"),
  };
}
