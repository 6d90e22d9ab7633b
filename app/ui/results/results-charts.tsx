import { BarChart, LineChart, PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { ClientOnly } from "./client-only";
import type { DayView } from "./daily-view";
import type { FunnelStep } from "./results-view";

// The Results page's charts. Each draws what a table beside it lists, so the chart is left out of
// the accessibility tree rather than read twice.

function Chart({ height, children }: { height: number; children: () => JSX.Element }) {
  return (
    <div aria-hidden="true" style={{ height }}>
      <ClientOnly>{() => <PolarisVizProvider>{children()}</PolarisVizProvider>}</ClientOnly>
    </div>
  );
}

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function FunnelChart({ steps }: { steps: FunnelStep[] }) {
  const data = [
    {
      name: "Messages",
      data: steps.flatMap((s) => (s.count === null ? [] : [{ key: s.label, value: s.count }])),
    },
  ];
  return (
    <Chart height={260}>
      {() => (
        <SimpleBarChart
          data={data}
          showLegend={false}
          isAnimated={false}
          xAxisOptions={{ labelFormatter: (value) => COUNT.format(Number(value ?? 0)) }}
        />
      )}
    </Chart>
  );
}

const shortDay = (label: string) => label.replace(/^\w+, /, "").replace(/, \d{4}$/, "");

// The daily chart's own legend: polaris-viz's is made of buttons, focusable inside a chart hidden
// from assistive technology.
const SERIES = [
  { name: "Sent", color: "#2fa3f0", value: (d: DayView) => d.sent },
  { name: "Opened", color: "#7b47f1", value: (d: DayView) => d.opened },
  { name: "Clicked", color: "#e0823d", value: (d: DayView) => d.clicked },
  { name: "Orders", color: "#1f9d55", value: (d: DayView) => d.orders },
] as const;

function Legend() {
  return (
    <InlineStack gap="400" align="center">
      {SERIES.map((s) => (
        <InlineStack key={s.name} gap="100" blockAlign="center">
          <span
            style={{ width: 10, height: 10, borderRadius: 5, background: s.color, display: "inline-block" }}
          />
          <Text as="span" variant="bodySm" tone="subdued">
            {s.name}
          </Text>
        </InlineStack>
      ))}
    </InlineStack>
  );
}

export function DailyChart({ days }: { days: DayView[] }) {
  const counts = SERIES.map((s) => ({
    name: s.name,
    color: s.color,
    data: days.map((d) => ({ key: shortDay(d.label), value: s.value(d) })),
  }));
  const axis = { integersOnly: true };
  return (
    <Chart height={300}>
      {() => (
        <BlockStack gap="200">
          <div style={{ height: 270 }}>
            {
              // a line needs two days, and a trend three
              days.length < 3 ? (
                <BarChart data={counts} isAnimated={false} showLegend={false} yAxisOptions={axis} />
              ) : (
                <LineChart data={counts} isAnimated={false} showLegend={false} yAxisOptions={axis} />
              )
            }
          </div>
          <Legend />
        </BlockStack>
      )}
    </Chart>
  );
}

export function RevenueChart({ days, currencyCode }: { days: DayView[]; currencyCode: string }) {
  const axis = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currencyCode,
    maximumFractionDigits: 0,
  });
  const data = [
    { name: "Revenue", data: days.map((d) => ({ key: shortDay(d.label), value: d.revenueValue })) },
  ];
  return (
    <Chart height={220}>
      {() => (
        <BarChart
          data={data}
          showLegend={false}
          isAnimated={false}
          yAxisOptions={{ labelFormatter: (value) => axis.format(Number(value ?? 0)) }}
        />
      )}
    </Chart>
  );
}
