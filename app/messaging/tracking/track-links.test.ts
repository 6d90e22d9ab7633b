import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { asSentText, trackLinks, type EmailContent, type TrackOptions } from "./track-links";

// A tracker that numbers destinations in the order it is asked, and remembers every call.
function numbered(base = "https://t.example/c/") {
  const calls: string[] = [];
  const track = (destination: string) => {
    calls.push(destination);
    return `${base}${calls.length}`;
  };
  return { calls, track };
}

const PIXEL_URL = "https://t.example/o/abc";
const PIXEL = `<img src="https://t.example/o/abc" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
const UNSUBSCRIBE = "https://shop.example/unsubscribe?t=abc&c=1";
const PREFERENCES = "https://shop.example/preferences?t=abc";

const email = (html: string, text = "", subject = "Sale"): EmailContent => ({
  channel: "email",
  subject,
  html,
  text,
});
const html = (input: string, options: Partial<TrackOptions> = {}) =>
  trackLinks(email(input), { track: numbered().track, keepDirect: [UNSUBSCRIBE, PREFERENCES], ...options })
    .content.html;

describe("trackLinks on a whole email", () => {
  it("rewrites the links of both parts, keeps the unsubscribe link and adds the pixel", () => {
    const { calls, track } = numbered("https://t.example/c?s=x&n=");
    const input = email(
      [
        "<!doctype html>",
        "<html><head><title>Sale https://shop.example/title</title></head>",
        "<BODY>",
        '<p>Hi Ana, <a href="https://shop.example/products/hat?utm_source=email&amp;utm_medium=holiday">the hat</a></p>',
        "<a class='btn' href='https://shop.example/cart'>Cart</a>",
        "<a href=https://shop.example/products/hat?utm_source=email&utm_medium=holiday>again</a>",
        "<p>Visit https://shop.example/text-only</p>",
        '<a href="mailto:help@shop.example">Mail</a> <a href="#top">Top</a> <a href="/relative">R</a>',
        '<a href="https://shop.example/unsubscribe?t=abc&amp;c=1">Unsubscribe</a>',
        "</BODY></html>",
      ].join("\n"),
      [
        "Hi Ana, the hat: https://shop.example/products/hat?utm_source=email&utm_medium=holiday.",
        "New in: https://shop.example/new!",
        "Unsubscribe: https://shop.example/unsubscribe?t=abc&c=1",
      ].join("\n"),
      "Sale ends soon: https://shop.example/subject",
    );
    const result = trackLinks(input, { track, pixelUrl: PIXEL_URL, keepDirect: [UNSUBSCRIBE, PREFERENCES] });
    expect(result.content).toEqual({
      channel: "email",
      subject: "Sale ends soon: https://shop.example/subject",
      html: [
        "<!doctype html>",
        "<html><head><title>Sale https://shop.example/title</title></head>",
        "<BODY>",
        '<p>Hi Ana, <a href="https://t.example/c?s=x&amp;n=1">the hat</a></p>',
        "<a class='btn' href='https://t.example/c?s=x&amp;n=2'>Cart</a>",
        '<a href="https://t.example/c?s=x&amp;n=1">again</a>',
        "<p>Visit https://shop.example/text-only</p>",
        '<a href="mailto:help@shop.example">Mail</a> <a href="#top">Top</a> <a href="/relative">R</a>',
        '<a href="https://shop.example/unsubscribe?t=abc&amp;c=1">Unsubscribe</a>',
        `${PIXEL}</BODY></html>`,
      ].join("\n"),
      text: [
        "Hi Ana, the hat: https://t.example/c?s=x&n=1.",
        "New in: https://t.example/c?s=x&n=3!",
        "Unsubscribe: https://shop.example/unsubscribe?t=abc&c=1",
      ].join("\n"),
    });
    expect(result.destinations).toEqual([
      "https://shop.example/products/hat?utm_source=email&utm_medium=holiday",
      "https://shop.example/cart",
      "https://shop.example/new",
    ]);
    expect(calls).toEqual(result.destinations);
  });

  it("an SMS gets its links tracked and never a pixel", () => {
    const { track } = numbered();
    const result = trackLinks(
      { channel: "sms", body: "🎄 Sale: https://shop.example/s 🎁 Stop: https://shop.example/u?t=1" },
      { track, pixelUrl: PIXEL_URL, keepDirect: ["https://shop.example/u?t=1"] },
    );
    expect(result).toEqual({
      content: { channel: "sms", body: "🎄 Sale: https://t.example/c/1 🎁 Stop: https://shop.example/u?t=1" },
      destinations: ["https://shop.example/s"],
    });
  });

  it("a message without links is unchanged and asks for nothing", () => {
    const { calls, track } = numbered();
    const input = email("<p>Hello</p>", "Hello");
    expect(trackLinks(input, { track, keepDirect: [] })).toEqual({ content: input, destinations: [] });
    expect(calls).toEqual([]);
  });
});

describe("HTML links", () => {
  it.each([
    ["double quotes", '<a href="https://x.example/a">', '<a href="https://t.example/c/1">'],
    ["single quotes", "<a href='https://x.example/a'>", "<a href='https://t.example/c/1'>"],
    ["unquoted (now quoted)", "<a href=https://x.example/a>", '<a href="https://t.example/c/1">'],
    ["upper case", '<A HREF="HTTPS://X.EXAMPLE/A">', '<A HREF="https://t.example/c/1">'],
    ["spaces around =", '<a\n  href = "https://x.example/a" >', '<a\n  href = "https://t.example/c/1" >'],
    ["spaces around the URL", '<a href=" https://x.example/a\n">', '<a href="https://t.example/c/1">'],
    ["a self-closing slash", '<a/href="https://x.example/a">', '<a/href="https://t.example/c/1">'],
    [
      "data-href beside href",
      '<a data-href="https://y.example" href="https://x.example/a">',
      '<a data-href="https://y.example" href="https://t.example/c/1">',
    ],
    [
      "a quoted '>' before href",
      '<a title="a > b" href="https://x.example/a">',
      '<a title="a > b" href="https://t.example/c/1">',
    ],
    [
      "href= inside another value",
      "<a title='href=https://y.example' href=\"https://x.example/a\">",
      "<a title='href=https://y.example' href=\"https://t.example/c/1\">",
    ],
    [
      "only the first of two hrefs",
      '<a href="https://x.example/a" href="https://y.example">',
      '<a href="https://t.example/c/1" href="https://y.example">',
    ],
    [
      "non-ASCII around it",
      '<p>Grüße 🎁 <a href="https://x.example/ü">ü</a></p>',
      '<p>Grüße 🎁 <a href="https://t.example/c/1">ü</a></p>',
    ],
    ["&amp; decoded", '<a href="https://x.example/a?b=1&amp;c=2">', '<a href="https://t.example/c/1">'],
    [
      "Outlook's conditional markup",
      '<!--[if mso]><a href="https://x.example/a">b</a><![endif]-->',
      '<!--[if mso]><a href="https://t.example/c/1">b</a><![endif]-->',
    ],
    [
      "after an empty comment",
      '<!--><a href="https://x.example/a">',
      '<!--><a href="https://t.example/c/1">',
    ],
    [
      "after a script",
      '<script>var a = "<a href=\'https://y.example\'>";</script><a href="https://x.example/a">',
      '<script>var a = "<a href=\'https://y.example\'>";</script><a href="https://t.example/c/1">',
    ],
  ])("%s", (_what, input, expected) => {
    expect(html(input)).toBe(expected);
  });

  it.each([
    ["mailto:", '<a href="mailto:help@shop.example">'],
    ["tel:", '<a href="tel:+15551234567">'],
    ["sms:", '<a href="sms:+15551234567">'],
    ["an anchor", '<a href="#top">'],
    ["a relative URL", '<a href="/products/hat">'],
    ["a scheme-relative URL", '<a href="//shop.example/hat">'],
    ["javascript:", '<a href="javascript:void(0)">'],
    ["no host", '<a href="https:///hat">'],
    ["an empty href", '<a href="">'],
    ["a bare href", "<a href>"],
    ["a template leftover", '<a href="{{ product.url }}">'],
    ["a template leftover in a URL", '<a href="https://shop.example/products/{{ handle }}">'],
    ["a block tag leftover", '<a href="https://shop.example/{% if a %}x{% endif %}">'],
    ["the unsubscribe link, as escaped", '<a href="https://shop.example/unsubscribe?t=abc&amp;c=1">'],
    ["the unsubscribe link, as written", '<a href="https://shop.example/unsubscribe?t=abc&c=1">'],
    ["the unsubscribe link, as &#38;", '<a href="https://shop.example/unsubscribe?t=abc&#38;c=1">'],
    ["the preferences link", "<a href='https://shop.example/preferences?t=abc'>"],
    ["an entity we cannot name", '<a href="https://x.example/a&hellip;">'],
    ["a C1 character reference", '<a href="https://x.example/a&#150;">'],
    ["a URL that is only text", '<p>https://x.example/a and href="https://x.example/b"</p>'],
    ["a URL in an img", '<img src="https://x.example/a.png" alt="https://x.example/b">'],
    ["a link inside an attribute", "<img alt=\"<a href='https://x.example/a'>\">"],
    ["area and link tags", '<area href="https://x.example/a"><link href="https://x.example/b">'],
    ["abbr is not a", '<abbr href="https://x.example/a">'],
    ["a commented-out link", '<!-- <a href="https://x.example/a"> -->'],
    ["a link in a textarea", '<textarea><a href="https://x.example/a"></textarea>'],
    ["a link in a style", '<style>/* <a href="https://x.example/a"> */</style>'],
    ["a tag cut off at the end", '<p>x</p><a href="https://x.example/a'],
  ])("leaves alone %s", (_what, input) => {
    expect(html(input)).toBe(input);
  });

  it("keeps a longer URL that merely starts with a kept one tracked", () => {
    expect(html('<a href="https://shop.example/unsubscribe?t=abc&amp;c=12">')).toBe(
      '<a href="https://t.example/c/1">',
    );
  });

  it("reads entities as a browser does before comparing and tracking", () => {
    const { track } = numbered();
    const result = trackLinks(
      email(
        [
          '<a href="https://x.example/?a=1&#x26;b=2">',
          '<a href="https://x.example/?a=1&#38b=2">',
          '<a href="https://x.example/?a=1&ampb=2">',
          '<a href="https://x.example/?a=1&amp=2">',
          '<a href="https://x.example/?a=1&copy_id=2">',
          '<a href="https://x.example/?q=&quot;hat&quot;&apos;">',
          '<a href="https://x.example/?a=1&amp">',
        ].join(""),
      ),
      { track, keepDirect: [] },
    );
    expect(result.destinations).toEqual([
      "https://x.example/?a=1&b=2", // hex and decimal (no ";") references, decoded
      "https://x.example/?a=1&ampb=2", // "&ampb" is no entity in an attribute
      "https://x.example/?a=1&amp=2", // nor is "&amp" before "="
      "https://x.example/?a=1&copy_id=2", // read as the query parameter it is
      `https://x.example/?q="hat"'`,
      "https://x.example/?a=1&",
    ]);
  });

  it("escapes the tracked address it writes", () => {
    const track = () => `https://t.example/c?a=1&b="2"&c='3'<>`;
    expect(trackLinks(email('<a href="https://x.example/a">'), { track, keepDirect: [] }).content.html).toBe(
      '<a href="https://t.example/c?a=1&amp;b=&#34;2&#34;&amp;c=&#39;3&#39;&#60;&#62;">',
    );
  });
});

describe("the open pixel", () => {
  it.each([
    ["before </body>", "<html><body><p>x</p></body></html>", `<html><body><p>x</p>${PIXEL}</body></html>`],
    ["before </BODY >", "<BODY>x</BODY ></HTML>", `<BODY>x${PIXEL}</BODY ></HTML>`],
    ["before the last </body>", "<body>a</body>b</body>", `<body>a</body>b${PIXEL}</body>`],
    ["at the end without a body", "<p>x</p>", `<p>x</p>${PIXEL}`],
    ["not before </bodyx>", "<p>x</p></bodyx>", `<p>x</p></bodyx>${PIXEL}`],
  ])("goes %s", (_what, input, expected) => {
    expect(html(input, { pixelUrl: PIXEL_URL })).toBe(expected);
  });

  it("is escaped, and not added without an address", () => {
    expect(html("<p>x</p>", { pixelUrl: "https://t.example/o?a=1&b=2" })).toBe(
      '<p>x</p><img src="https://t.example/o?a=1&amp;b=2" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />',
    );
    expect(html("<body>x</body>")).toBe("<body>x</body>");
  });
});

describe("text links", () => {
  const text = (input: string, keepDirect: readonly string[] = [UNSUBSCRIBE]) =>
    trackLinks({ channel: "sms", body: input }, { track: numbered().track, keepDirect }).content.body;

  it.each([
    ["a full stop after it", "Shop https://x.example/a.", "Shop https://t.example/c/1."],
    ["a comma, then more", "See https://x.example/a, then go", "See https://t.example/c/1, then go"],
    ["several marks", "Really? https://x.example/a?!", "Really? https://t.example/c/1?!"],
    ["a query kept whole", "https://x.example/a?b=1&c=2;", "https://t.example/c/1;"],
    ["a colon", "Link https://x.example/a: now", "Link https://t.example/c/1: now"],
    ["single quotes", "'https://x.example/a'", "'https://t.example/c/1'"],
    ["double quotes", 'Go "https://x.example/a"', 'Go "https://t.example/c/1"'],
    ["angle brackets", "<https://x.example/a>", "<https://t.example/c/1>"],
    ["a closing parenthesis", "(see https://x.example/a)", "(see https://t.example/c/1)"],
    ["its own parentheses", "https://en.wikipedia.org/wiki/Hat_(headwear)", "https://t.example/c/1"],
    ["both", "(https://en.wikipedia.org/wiki/Hat_(headwear)).", "(https://t.example/c/1)."],
    ["line breaks", "a\nhttps://x.example/a\nb", "a\nhttps://t.example/c/1\nb"],
    [
      "the same URL twice",
      "https://x.example/a and https://x.example/a.",
      "https://t.example/c/1 and https://t.example/c/1.",
    ],
    ["http and upper case", "HTTP://X.EXAMPLE/A", "https://t.example/c/1"],
    ["a longer URL than the kept one", `${UNSUBSCRIBE}2`, "https://t.example/c/1"],
    ["a URL inside another's query", "https://x.example/?u=https://y.example", "https://t.example/c/1"],
  ])("%s", (_what, input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    ["the kept link", `Stop: ${UNSUBSCRIBE}`],
    ["the kept link with a full stop", `Stop: ${UNSUBSCRIBE}.`],
    ["the kept link in parentheses", `(stop: ${UNSUBSCRIBE})`],
    ["a word run into a URL", "Shophttps://x.example/a"],
    ["a scheme alone", "https:// and http://."],
    ["a template leftover", "https://x.example/{{ handle }}"],
    ["no URL", "Sale ends Sunday at midnight: 20% off!"],
  ])("leaves alone %s", (_what, input) => {
    expect(text(input)).toBe(input);
  });

  it("keeps a kept link whole even when it ends in punctuation", () => {
    const kept = "https://shop.example/p/x.";
    expect(text(`Prefs: ${kept}`, [kept])).toBe(`Prefs: ${kept}`);
    expect(text(`Prefs: ${kept})`, [kept])).toBe(`Prefs: ${kept})`);
    expect(text("Prefs: https://shop.example/p/x", [kept])).toBe("Prefs: https://t.example/c/1");
  });

  it("never touches the subject", () => {
    const result = trackLinks(email("<p>x</p>", "x", "See https://x.example/a"), {
      track: numbered().track,
      keepDirect: [],
    });
    expect(result.content.subject).toBe("See https://x.example/a");
    expect(result.destinations).toEqual([]);
  });
});

describe("properties", () => {
  // Documents are built from pieces whose expected output is known piece by piece, so the
  // expected document is assembled without reading any HTML.
  type Quote = '"' | "'" | "";
  type Piece =
    | { kind: "markup"; source: string }
    | { kind: "link"; url: string; kept: boolean; quote: Quote; label: string };

  const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
  const prose = fc.string({ maxLength: 20 }).filter((s) => !/[<>]/.test(s));
  const markup = fc.oneof(
    prose,
    url, // a URL that is only text
    fc.constantFrom("<p>", "</p>", "<br/>", '<td style="color:red">', "<!-- note -->", "<BODY>", "</body>"),
    fc.constantFrom('<img src="https://x.example/i.png" alt="">', '<a name="top">', "</a>", "&amp; &lt;"),
  );
  const piece: fc.Arbitrary<Piece> = fc.oneof(
    markup.map((source): Piece => ({ kind: "markup", source })),
    fc.record({
      kind: fc.constant("link"),
      url,
      kept: fc.boolean(),
      quote: fc.constantFrom<Quote>('"', "'", ""),
      label: prose,
    }),
  );
  const pieces = fc.array(piece, { maxLength: 25 });

  const written = (p: Extract<Piece, { kind: "link" }>) => {
    let value = p.url.replace(/&/g, "&amp;");
    if (p.quote === "'") value = value.replace(/'/g, "&#39;");
    return `href=${p.quote}${value}${p.quote}`;
  };
  const render = (ps: readonly Piece[]) =>
    ps.map((p) => (p.kind === "markup" ? p.source : `<a class="x" ${written(p)}>${p.label}</a>`)).join("");
  const keptUrls = (ps: readonly Piece[]) => ps.flatMap((p) => (p.kind === "link" && p.kept ? [p.url] : []));
  // a URL both kept and tracked in one document cannot be both
  const consistent = (ps: readonly Piece[]) =>
    ps.every((p) => p.kind !== "link" || p.kept === keptUrls(ps).includes(p.url));

  const run = (ps: readonly Piece[], pixelUrl?: string) => {
    const { calls, track } = numbered("https://t.example/");
    const result = trackLinks(email(render(ps)), { track, pixelUrl, keepDirect: keptUrls(ps) });
    return { calls, result };
  };

  it("gives the document assembled piece by piece", () => {
    fc.assert(
      fc.property(pieces.filter(consistent), (ps) => {
        const order: string[] = [];
        const expectedPieces = ps.map((p) => {
          if (p.kind === "markup") return p.source;
          if (p.kept) return `<a class="x" ${written(p)}>${p.label}</a>`;
          if (!order.includes(p.url)) order.push(p.url);
          const quote = p.quote === "" ? '"' : p.quote;
          return `<a class="x" href=${quote}https://t.example/${order.indexOf(p.url) + 1}${quote}>${p.label}</a>`;
        });
        const lastBody = ps.map((p) => p.kind === "markup" && p.source === "</body>").lastIndexOf(true);
        if (lastBody < 0) expectedPieces.push(PIXEL);
        else expectedPieces.splice(lastBody, 0, PIXEL);
        const { calls, result } = run(ps, PIXEL_URL);
        expect(result.content.html).toBe(expectedPieces.join(""));
        expect(result.destinations).toEqual(order);
        expect(calls).toEqual(order);
      }),
      { numRuns: 500 },
    );
  });

  it("lists every tracked destination, leaves none in an href, and keeps the kept ones", () => {
    fc.assert(
      fc.property(pieces.filter(consistent), (ps) => {
        const { calls, result } = run(ps);
        const out = result.content.html;
        const hrefs = [...out.matchAll(/href=(?:"([^"]*)"|'([^']*)'|([^\s>]*))/g)].map((m) =>
          (m[1] ?? m[2] ?? m[3] ?? "").replace(/&#39;/g, "'").replace(/&amp;/g, "&"),
        );
        for (const p of ps) {
          if (p.kind !== "link") continue;
          if (p.kept) expect(out).toContain(written(p));
          else {
            expect(result.destinations).toContain(p.url);
            expect(hrefs).not.toContain(p.url);
          }
        }
        expect(new Set(result.destinations).size).toBe(result.destinations.length);
        expect(calls).toEqual(result.destinations);
      }),
      { numRuns: 500 },
    );
  });

  it("changes no markup when there are no links, but for the pixel", () => {
    const noLinks = fc.array(markup, { maxLength: 25 }).map((ss) => ss.join(""));
    fc.assert(
      fc.property(noLinks, (input) => {
        expect(html(input)).toBe(input);
        const withPixel = html(input, { pixelUrl: PIXEL_URL });
        expect(withPixel.split(PIXEL)).toHaveLength(2);
        expect(withPixel.replace(PIXEL, "")).toBe(input);
      }),
      { numRuns: 500 },
    );
  });

  it("breaks no tag: as many < and > as before, plus the pixel's", () => {
    const count = (s: string, c: string) => s.split(c).length - 1;
    // any text with links in it, not only well-formed pieces
    const messy = fc
      .array(
        fc.oneof(
          piece.map((p) => render([p])),
          fc.string({ maxLength: 8 }),
          fc.constantFrom('"', "'", "=", " "),
        ),
      )
      .map((ss) => ss.join(""));
    fc.assert(
      fc.property(messy, (input) => {
        const out = html(input, { pixelUrl: PIXEL_URL });
        expect(count(out, "<")).toBe(count(input, "<") + 1);
        expect(count(out, ">")).toBe(count(input, ">") + 1);
      }),
      { numRuns: 1_000 },
    );
  });

  it("text: tracks each URL with the punctuation after it left outside (assembled word by word)", () => {
    const plainUrl = url.filter((u) => !/[.,;:!?')]$/.test(u) && !/[()]/.test(u));
    const word = fc.stringMatching(/^[A-Za-z0-9À-ÿ%&*#-]{1,10}$/).filter((w) => !/https?:\/\//i.test(w));
    const token = fc.oneof(
      word.map((w) => ({ url: null, text: w, after: "" })),
      fc.record({
        url: plainUrl,
        kept: fc.boolean(),
        after: fc.constantFrom("", ".", ",", "!", "?", ")", ":", "..."),
      }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 15 }), fc.constantFrom(" ", "\n", "  "), (tokens, gap) => {
        const kept = tokens.flatMap((t) => (t.url !== null && "kept" in t && t.kept ? [t.url] : []));
        const order: string[] = [];
        const expected = tokens.map((t) => {
          if (t.url === null) return t.text;
          if (kept.includes(t.url)) return t.url + t.after;
          if (!order.includes(t.url)) order.push(t.url);
          return `https://t.example/${order.indexOf(t.url) + 1}${t.after}`;
        });
        const input = tokens.map((t) => (t.url === null ? t.text : t.url + t.after)).join(gap);
        const { track } = numbered("https://t.example/");
        const result = trackLinks({ channel: "sms", body: input }, { track, keepDirect: kept });
        expect(result.content.body).toBe(expected.join(gap));
        expect(result.destinations).toEqual(order);
      }),
      { numRuns: 500 },
    );
  });
});

describe("asSentText", () => {
  it("shows each link as a tracked link of the real length, and keeps the rest", () => {
    const sent = asSentText(
      "Sale now: https://shop.example/sale?x=1. Reply STOP to opt out",
      "https://app.example.com/",
    );
    expect(sent).toBe(
      "Sale now: https://app.example.com/t/c/XXXXXXXXXXXXXXXXXXXXXXXXXXX.YYYYYYYYYYYY.ZZZZZZZZZZZZZZZZ. Reply STOP to opt out",
    );
    // the real token is 57 characters, as the stand-in
    expect("XXXXXXXXXXXXXXXXXXXXXXXXXXX.YYYYYYYYYYYY.ZZZZZZZZZZZZZZZZ").toHaveLength(57);
  });
});
