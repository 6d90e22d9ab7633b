// Just enough MIME to show what nodemailer sent: headers (unfolded, RFC 2047 words decoded) and
// the text/plain and text/html parts of a possibly multipart body, quoted-printable or base64.
// Not a general parser: the sink only ever reads mail our own channel wrote.

export function splitMessage(raw: string): { headerText: string; body: string } {
  const end = raw.indexOf("\r\n\r\n");
  if (end >= 0) return { headerText: raw.slice(0, end), body: raw.slice(end + 4) };
  const lf = raw.indexOf("\n\n");
  return lf >= 0 ? { headerText: raw.slice(0, lf), body: raw.slice(lf + 2) } : { headerText: raw, body: "" };
}

/** Header names in lower case; the first occurrence wins. */
export function parseHeaders(headerText: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of headerText.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

function quotedPrintableBytes(text: string, underscoreIsSpace: boolean): Buffer {
  const source = (underscoreIsSpace ? text.replace(/_/g, " ") : text).replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < source.length; i += 1) {
    const hex = source.slice(i + 1, i + 3);
    if (source[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(source[i] ?? "", "utf8")) bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

/** `=?UTF-8?Q?H=C3=A9llo?= =?UTF-8?B?...?=` → text; adjacent encoded words join without space. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) =>
      decodeBytes(
        encoding.toUpperCase() === "B" ? Buffer.from(text, "base64") : quotedPrintableBytes(text, true),
        charset,
      ),
    );
}

function parameter(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(headerValue);
  return match ? (match[1] ?? match[2]) : undefined;
}

export interface MailBody {
  text?: string;
  html?: string;
}

/** The text and HTML parts of a message (its headers and body), depth-limited. */
export function mailBody(headers: Map<string, string>, body: string, depth = 0): MailBody {
  const type = headers.get("content-type") ?? "text/plain";
  const mediaType = type.split(";")[0]?.trim().toLowerCase() ?? "text/plain";
  if (mediaType.startsWith("multipart/")) {
    const boundary = parameter(type, "boundary");
    if (!boundary || depth > 3) return {};
    const found: MailBody = {};
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith("--")) break;
      const { headerText, body: partBody } = splitMessage(part.replace(/^\r?\n/, ""));
      const inner = mailBody(parseHeaders(headerText), partBody.replace(/\r?\n$/, ""), depth + 1);
      found.text ??= inner.text;
      found.html ??= inner.html;
    }
    return found;
  }
  if (mediaType !== "text/plain" && mediaType !== "text/html") return {};
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const bytes =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64")
      : encoding === "quoted-printable"
        ? quotedPrintableBytes(body, false)
        : Buffer.from(body, "utf8");
  const text = decodeBytes(bytes, parameter(type, "charset") ?? "utf-8");
  return mediaType === "text/html" ? { html: text } : { text };
}
