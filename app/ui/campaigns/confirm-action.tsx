import { useState, type ReactNode } from "react";
import { useNavigation, useSubmit } from "@remix-run/react";
import { Button, Modal } from "@shopify/polaris";

interface Props {
  intent: string;
  /** the button that opens the question */
  label: string;
  title: string;
  /** what the confirming button says; null: there is nothing to confirm yet (the body says why) */
  confirm: string | null;
  destructive?: boolean;
  primary?: boolean;
  disabled?: boolean;
  /** what will happen, in numbers where there are some */
  children: ReactNode;
}

/**
 * An irreversible action asks first: the button opens a modal that says what will happen, and only
 * its confirming button posts `intent` (a Remix submit, as the page's other actions).
 */
export function ConfirmAction({ intent, label, title, confirm, destructive, primary, disabled, children }: Props) {
  const [open, setOpen] = useState(false);
  const submit = useSubmit();
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const close = () => setOpen(false);
  const activator = (
    <Button
      onClick={() => setOpen(true)}
      variant={primary ? "primary" : undefined}
      tone={destructive ? "critical" : undefined}
      loading={pending === intent}
      disabled={disabled || (Boolean(pending) && pending !== intent)}
    >
      {label}
    </Button>
  );
  return (
    <Modal
      open={open}
      onClose={close}
      title={title}
      activator={activator}
      primaryAction={
        confirm === null
          ? undefined
          : {
              content: confirm,
              destructive,
              onAction: () => {
                close();
                submit({ intent }, { method: "post" });
              },
            }
      }
      secondaryActions={[{ content: confirm === null ? "Close" : "Go back", onAction: close }]}
    >
      <Modal.Section>{children}</Modal.Section>
    </Modal>
  );
}
