// Admin GraphQL documents of the segment tag write-back (API 2026-10), validated against Shopify's
// schema by test/unit/admin-documents.test.ts. One customer per request: the emulator (and so the
// tests) has no bulkOperationRunMutation or staged uploads, and tagsAdd/tagsRemove are idempotent.

/** Adds the customer's current segment tag. */
export const SEGMENT_TAG_ADD_MUTATION = `#graphql
  mutation SegmentTagAdd($id: ID!, $add: [String!]!) {
    tagsAdd(id: $id, tags: $add) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Adds the current segment tag, then removes stale ones (mutation fields run in order). */
export const SEGMENT_TAG_REPLACE_MUTATION = `#graphql
  mutation SegmentTagReplace($id: ID!, $add: [String!]!, $remove: [String!]!) {
    tagsAdd(id: $id, tags: $add) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
    tagsRemove(id: $id, tags: $remove) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Removes the app's tags (the option was turned off). */
export const SEGMENT_TAG_REMOVE_MUTATION = `#graphql
  mutation SegmentTagRemove($id: ID!, $remove: [String!]!) {
    tagsRemove(id: $id, tags: $remove) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
