// Where a message's tracked links lead: each `${appUrl}/t/c/…` link in the text is asked with a
// HEAD request (recorded by the app as a machine's, like a mail scanner's, so it never counts as
// a shopper's click) and its redirect read. Our UTM parameters are taken off, to compare with the
// destination the template was given.

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_content"];

export function trackedLinksIn(text: string, appUrl: string): string[] {
  const escaped = appUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [...text.matchAll(new RegExp(`${escaped}/t/c/[A-Za-z0-9_.-]+`, "g"))].map((m) => m[0]);
}

export function withoutUtm(url: string): string {
  const parsed = new URL(url);
  for (const name of UTM) parsed.searchParams.delete(name);
  return parsed.toString();
}

export async function trackedDestinations(text: string, appUrl: string): Promise<string[]> {
  const destinations: string[] = [];
  for (const link of trackedLinksIn(text, appUrl)) {
    const answer = await fetch(link, { method: "HEAD", redirect: "manual" });
    const location = answer.headers.get("location");
    if (answer.status === 302 && location) destinations.push(location);
  }
  return destinations;
}
