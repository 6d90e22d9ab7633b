import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RenderOutput, TemplateOutcome } from "./message-preview";

// What the template box shows after Preview / Save template, as the server renders it: a template
// that does not render is a critical banner (role="alert") naming each error's part, line and
// column, never a success; a message that renders is shown in full under a success banner.

type Outcome = Parameters<typeof TemplateOutcome>[0]["data"];
const render = (node: JSX.Element) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);
const words = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const liquidError: Outcome = {
  ok: true,
  message: "Does not render: fix each error below (part, line and column).",
  render: { ok: false, errors: [{ part: "sms", line: 2, column: 3, message: "tag {% if discount %} not closed" }] },
};

describe("the template box's answers", () => {
  it("shows a Liquid error of Preview as a critical banner with part, line and column", () => {
    const html = render(<TemplateOutcome data={liquidError} />);
    expect(html).toContain('role="alert"');
    expect(html).not.toContain('role="status"');
    expect(words(html)).toContain("Does not render: fix each error below (part, line and column).");
    expect(words(html)).toContain("SMS body, line 2, column 3: tag {% if discount %} not closed");
  });

  it("shows a refused save's errors the same way", () => {
    const html = render(
      <TemplateOutcome
        data={{ ok: false, message: "The template does not render; not saved.", templateErrors: [{ part: "subject", line: 1, column: 4, message: "undefined variable: customer.fristName" }] }}
      />,
    );
    expect(html).toContain('role="alert"');
    expect(words(html)).toContain("Subject, line 1, column 4: undefined variable: customer.fristName");
  });

  it("shows a message that renders in full, as a success", () => {
    const html = render(
      <TemplateOutcome
        data={{ ok: true, message: "Renders.", render: { ok: true, message: { channel: "sms", body: "Shop: hello. Reply STOP to opt out", sms: { encoding: "GSM-7", characters: 33, segments: 1 } } } }}
      />,
    );
    expect(html).toContain('role="status"');
    expect(html).not.toContain('role="alert"');
    expect(words(html)).toContain("Shop: hello. Reply STOP to opt out");
  });

  it("shows the page's own preview of a template that does not render as critical", () => {
    const html = render(<RenderOutput result={{ ok: false, errors: [{ part: "html", line: 7, column: 12, message: "unexpected token" }] }} />);
    expect(html).toContain('role="alert"');
    expect(words(html)).toContain("HTML body, line 7, column 12: unexpected token");
  });
});
