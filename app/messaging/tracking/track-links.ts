// Points a rendered message's links at the click tracker and adds the open pixel. Pure: the
// tracked address of each destination comes from `track`. Runs after rendering, before the
// unsubscribe headers; the subject is never touched, and markup outside rewritten hrefs is kept
// byte for byte.

export type EmailContent = { channel: "email"; subject: string; html: string; text: string };
export type SmsContent = { channel: "sms"; body: string };
export type TrackableContent = EmailContent | SmsContent;

export interface TrackOptions {
  /** the tracked address that redirects to `destination` (called once per distinct destination) */
  track: (destination: string) => string;
  /** the open pixel's address; none is added without it (and never to an SMS) */
  pixelUrl?: string;
  /** links that must stay direct (unsubscribe, preferences), compared as whole URLs */
  keepDirect: readonly string[];
}

/** A sent message's tracking as the dispatcher hands it to the renderer (message-tracking.server.ts). */
export interface MessageTracking {
  link: (destination: string) => string;
  /** emails only */
  pixelUrl: string | null;
}

export interface Tracked<C extends TrackableContent> {
  content: C;
  /** every tracked destination once, in the order first met: HTML part, then text part */
  destinations: string[];
}

export function trackLinks(content: EmailContent, options: TrackOptions): Tracked<EmailContent>;
export function trackLinks(content: SmsContent, options: TrackOptions): Tracked<SmsContent>;
export function trackLinks(content: TrackableContent, options: TrackOptions): Tracked<TrackableContent>;
export function trackLinks(content: TrackableContent, options: TrackOptions): Tracked<TrackableContent> {
  const links = linkTracker(options);
  if (content.channel === "sms") {
    const body = trackText(content.body, links);
    return { content: { channel: "sms", body }, destinations: links.destinations() };
  }
  // the HTML part first: its links set the destinations' order
  const html = withPixel(trackHtml(content.html, links), options.pixelUrl);
  const text = trackText(content.text, links);
  return {
    content: { channel: "email", subject: content.subject, html, text },
    destinations: links.destinations(),
  };
}

interface Links {
  /** the tracked address for a URL, or null when it stays as written */
  track(url: string): string | null;
  kept: readonly string[];
  destinations(): string[];
}

// a host must follow the scheme; `{{`/`{%` is a template tag that did not render
const TRACKABLE = /^https?:\/\/[^\s/?#]/i;
const TEMPLATE_LEFTOVER = /\{\{|\{%/;

function linkTracker(options: TrackOptions): Links {
  const keep = new Set(options.keepDirect);
  const tracked = new Map<string, string>();
  return {
    track(url) {
      if (!TRACKABLE.test(url) || keep.has(url) || TEMPLATE_LEFTOVER.test(url)) return null;
      let address = tracked.get(url);
      if (address === undefined) {
        address = options.track(url);
        tracked.set(url, address);
      }
      return address;
    },
    kept: options.keepDirect,
    destinations: () => [...tracked.keys()],
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&"'<>]/g, (c) => (c === "&" ? "&amp;" : `&#${c.charCodeAt(0)};`));

// --- plain text (text part, SMS) ---

// a URL runs to whitespace, < > or "; sentence punctuation after it is not part of it
const URL_START = /https?:\/\//gi;
const URL_STOP = /[\s<>"]/;
const TRAILING = ".,;:!?'";
const AFTER_URL = /^[.,;:!?')]*$/;
const count = (s: string, c: string) => s.split(c).length - 1;

function trimTrailing(run: string): string {
  let end = run.length;
  const opened = count(run, "(");
  let closed = count(run, ")");
  for (; end > 0; end--) {
    const last = run.charAt(end - 1);
    // a ")" closes the URL's own "(" (Wikipedia-style paths) or else the sentence's
    if (last === ")" && opened < closed) closed--;
    else if (last === ")" || !TRAILING.includes(last)) break;
  }
  return run.slice(0, end);
}

function trackText(text: string, links: Links): string {
  const starts = new RegExp(URL_START.source, URL_START.flags);
  let out = "";
  let copied = 0;
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const start = m.index;
    // "shophttps://…" is not a URL a reader's app would linkify
    if (/[A-Za-z0-9]/.test(text.charAt(start - 1))) continue;
    let end = start;
    while (end < text.length && !URL_STOP.test(text.charAt(end))) end++;
    starts.lastIndex = end;
    const run = text.slice(start, end);
    // a kept link that itself ends in punctuation must keep it, not be cut and then tracked
    if (links.kept.some((k) => run.startsWith(k) && AFTER_URL.test(run.slice(k.length)))) continue;
    const url = trimTrailing(run);
    const address = links.track(url);
    if (address === null) continue;
    out += text.slice(copied, start) + address;
    copied = start + url.length;
  }
  return out + text.slice(copied);
}

// --- HTML ---

// Tags are read as the HTML tokenizer reads them: quoted ">", data-href and the like come out right.
interface Attribute {
  name: string;
  /** where the value lies between its quotes (or unquoted); null for a bare attribute */
  value: { start: number; end: number; quoted: boolean } | null;
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";
const isLetter = (c: string) => /^[A-Za-z]$/.test(c);

/** The tag starting at `<`, or null when the document ends inside it (a browser drops the rest). */
function readTag(html: string, lt: number): { name: string; end: number; attributes: Attribute[] } | null {
  const at = (j: number) => html.charAt(j);
  let i = at(lt + 1) === "/" ? lt + 2 : lt + 1;
  const nameStart = i;
  while (i < html.length && !isSpace(at(i)) && at(i) !== "/" && at(i) !== ">") i++;
  const name = html.slice(nameStart, i).toLowerCase();
  const attributes: Attribute[] = [];
  for (;;) {
    while (i < html.length && (isSpace(at(i)) || at(i) === "/")) i++;
    if (i >= html.length) return null;
    if (at(i) === ">") return { name, end: i + 1, attributes };
    const attributeStart = i++; // a first "=" belongs to the name
    while (i < html.length && !isSpace(at(i)) && !"/>=".includes(at(i))) i++;
    const attribute: Attribute = { name: html.slice(attributeStart, i).toLowerCase(), value: null };
    attributes.push(attribute);
    while (i < html.length && isSpace(at(i))) i++;
    if (at(i) !== "=") continue;
    i++;
    while (i < html.length && isSpace(at(i))) i++;
    const quote = at(i);
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) return null;
      attribute.value = { start: i + 1, end: close, quoted: true };
      i = close + 1;
    } else {
      const start = i;
      while (i < html.length && !isSpace(at(i)) && at(i) !== ">") i++;
      attribute.value = { start, end: i, quoted: false };
    }
  }
}

// elements whose content is text, not tags
const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);

function trackHtml(html: string, links: Links): string {
  let out = "";
  let copied = 0;
  for (let i = html.indexOf("<"); i >= 0; i = html.indexOf("<", i)) {
    if (html.startsWith("<!--", i)) {
      // Outlook renders what is inside <!--[if mso]> … <![endif]-->: its links are read too
      if (html.startsWith("[if", i + 4)) i += 4;
      else if (html.startsWith(">", i + 4) || html.startsWith("->", i + 4)) i += 4;
      else if ((i = html.indexOf("-->", i + 4)) < 0) break;
      continue;
    }
    const start = isLetter(html.charAt(i + 1));
    if (!start && !(html.charAt(i + 1) === "/" && isLetter(html.charAt(i + 2)))) {
      i++;
      continue;
    }
    const tag = readTag(html, i);
    if (tag === null) break;
    i = tag.end;
    const value = start && tag.name === "a" ? tag.attributes.find((a) => a.name === "href")?.value : null;
    const decoded = value ? decodeEntities(html.slice(value.start, value.end)) : null;
    // a browser strips the spaces around a URL
    const address =
      decoded === null ? null : links.track(decoded.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ""));
    if (value && address !== null) {
      const escaped = escapeHtml(address);
      out += html.slice(copied, value.start) + (value.quoted ? escaped : `"${escaped}"`);
      copied = value.end;
    }
    if (start && RAW_TEXT.has(tag.name)) {
      const close = new RegExp(`</${tag.name}[\\t\\n\\f\\r />]`, "gi");
      close.lastIndex = i;
      const found = close.exec(html);
      if (found === null) break;
      i = found.index;
    }
  }
  return out + html.slice(copied);
}

// The entities URLs are written with. Another `&name;` may stand for a character we cannot name
// here, and then the link is left as written rather than tracked to a wrong destination. Another
// `&name` without ";" is read as written: in a URL it is a query parameter (`&copy_id`), as meant.
const NAMED = new Map<string, string>([
  ...Object.entries({ amp: "&", lt: "<", gt: ">", quot: '"' }).flatMap(([n, c]) => [
    [n, c] as const,
    [n.toUpperCase(), c] as const,
  ]),
  ["nbsp", "\u00a0"],
  ["apos", "'"],
]);
const ENTITY = /&(?:#[xX]([0-9a-fA-F]+)|#(\d+)|([A-Za-z][A-Za-z0-9]*))(;?)/g;

/** An attribute value as a browser reads it, or null when it holds an entity we cannot decode. */
function decodeEntities(value: string): string | null {
  let decodable = true;
  const decoded = value.replace(ENTITY, (whole: string, ...groups: unknown[]) => {
    const [hex, decimal, name, semicolon, offset] = groups;
    if (typeof name === "string") {
      const known = NAMED.get(name);
      if (semicolon === ";" && known !== undefined) return known;
      // without ";" a browser reads only the old entities (apos is new), and never before "="
      const next = typeof offset === "number" ? value.charAt(offset + whole.length) : "";
      if (semicolon === "") return known !== undefined && name !== "apos" && next !== "=" ? known : whole;
    } else {
      const code = typeof hex === "string" ? parseInt(hex, 16) : Number(decimal);
      // NUL (or nothing), surrogates, beyond Unicode, and the C1 range browsers remap to Windows-1252
      const odd =
        !(code > 0) ||
        code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff) ||
        (code >= 0x80 && code <= 0x9f);
      if (!odd) return String.fromCodePoint(code);
    }
    decodable = false;
    return whole;
  });
  return decodable ? decoded : null;
}

function withPixel(html: string, pixelUrl: string | undefined): string {
  if (pixelUrl === undefined) return html;
  const pixel = `<img src="${escapeHtml(pixelUrl)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
  let at = -1;
  for (const m of html.matchAll(/<\/body[\t\n\f\r />]/gi)) at = m.index;
  return at < 0 ? html + pixel : html.slice(0, at) + pixel + html.slice(at);
}

/**
 * A text as it will be sent, for a preview: each link replaced by a tracked link of the real one's
 * length (a stand-in token), so the preview counts the characters and parts the customer gets.
 */
export function asSentText(body: string, appUrl: string, keepDirect: readonly string[] = []): string {
  const standIn = `${appUrl.replace(/\/+$/, "")}/t/c/${"X".repeat(27)}.${"Y".repeat(12)}.${"Z".repeat(16)}`;
  return trackLinks({ channel: "sms", body }, { track: () => standIn, keepDirect }).content.body;
}
