import { Text } from "@shopify/polaris";

/**
 * A confirmation screen readers read out: a polite live region that is on the page before its
 * message arrives (a region inserted together with its text is often not announced).
 */
export function Announcement({
  message,
  tone,
  visuallyHidden = false,
}: {
  message: string | null | undefined;
  tone?: "success" | "critical";
  visuallyHidden?: boolean;
}) {
  return (
    <span role="status" aria-live="polite" aria-atomic="true">
      {message ? (
        <Text as="span" tone={tone} visuallyHidden={visuallyHidden}>
          {message}
        </Text>
      ) : null}
    </span>
  );
}
