// Admin GraphQL documents of the storefront's app-data metafield (API 2026-10), validated against
// Shopify's schema by test/unit/admin-documents.test.ts. The theme app extension reads metafields
// owned by the app's installation as `app.metafields.<namespace>.<key>`.

/** The installation the metafield belongs to, and the shop's zone (known before any backfill). */
export const CURRENT_APP_INSTALLATION_QUERY = `#graphql
  query StorefrontAppInstallation {
    currentAppInstallation {
      id
    }
    shop {
      ianaTimezone
    }
  }
`;

/** Sets the installation's metafields; metafieldsSet is atomic and creates or overwrites. */
export const APP_METAFIELDS_SET_MUTATION = `#graphql
  mutation StorefrontAppMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
