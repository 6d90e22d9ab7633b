import { useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, FormLayout, List, Select, Text, TextField } from "@shopify/polaris";

export type WizardResult =
  | {
      ok: true;
      playbook: string;
      year: number;
      created: number;
      updated: number;
      locked: number;
      planned: Array<{ key: string; rows: number; toSend: number }>;
      skipped: Array<{ key: string; why: string }>;
      notes: string[];
    }
  | { ok: false; message: string; fieldErrors: Record<string, string> };

interface Props {
  /** each with the year of its next season that has not ended */
  playbooks: Array<{ key: string; name: string; description: string; year: number }>;
  country: string;
  result?: WizardResult;
}

/** Pick a playbook and year: the action creates one campaign per segment and plans each. */
export function PlaybookWizard({ playbooks, country, result }: Props) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "plan-playbook";
  const [playbook, setPlaybook] = useState(playbooks[0]?.key ?? "cyber-week");
  const seasonOf = (key: string) => String(playbooks.find((p) => p.key === key)?.year ?? "");
  const [yearText, setYearText] = useState(() => seasonOf(playbook));
  // Another playbook: its own next season (Christmas may still be this year when Cyber Week is not).
  const pickPlaybook = (key: string) => {
    setPlaybook(key);
    setYearText(seasonOf(key));
  };
  const [countryText, setCountryText] = useState(country);
  const errors = result && !result.ok ? result.fieldErrors : {};
  const chosen = playbooks.find((p) => p.key === playbook);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="plan-playbook" />
      <BlockStack gap="300">
        {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
        {result?.ok ? (
          <Banner tone="success" title={`Planned ${result.planned.length} campaigns for ${result.year}`}>
            <List>
              {result.planned.map((p) => (
                <List.Item key={p.key}>
                  {p.key}: {p.toSend.toLocaleString("en-US")} messages to send ({p.rows.toLocaleString("en-US")} rows)
                </List.Item>
              ))}
              {result.skipped.map((s) => (
                <List.Item key={s.key}>
                  {s.key}: not planned ({s.why.replace(/_/g, " ")})
                </List.Item>
              ))}
            </List>
            {result.notes.map((n) => (
              <Text as="p" key={n} tone="subdued">
                {n}
              </Text>
            ))}
          </Banner>
        ) : null}
        <FormLayout>
          <FormLayout.Group>
            <Select
              label="Playbook"
              name="playbook"
              options={playbooks.map((p) => ({ label: p.name, value: p.key }))}
              value={playbook}
              onChange={pickPlaybook}
              error={errors.playbook}
            />
            <TextField
              label="Year"
              name="year"
              value={yearText}
              onChange={setYearText}
              autoComplete="off"
              inputMode="numeric"
              error={errors.year}
            />
            <TextField
              label="Country"
              name="country"
              value={countryText}
              onChange={setCountryText}
              autoComplete="off"
              helpText="Public holidays of this country (your store's billing country unless you change it)"
              error={errors.country}
            />
          </FormLayout.Group>
        </FormLayout>
        {chosen ? (
          <Text as="p" tone="subdued">
            {chosen.description}
          </Text>
        ) : null}
        <div>
          <Button submit variant="primary" loading={busy}>
            Plan the playbook
          </Button>
        </div>
      </BlockStack>
    </Form>
  );
}
