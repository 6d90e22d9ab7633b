// Admin GraphQL documents of the segment tag write-back (API 2026-10), validated against Shopify's
// schema by test/unit/admin-documents.test.ts. Many customers: one bulk mutation per document
// below (a line per customer); a handful: one request per customer (the three after those).
// tagsAdd/tagsRemove are idempotent and leave the merchant's other tags alone (customerUpdate
// would replace them all).

/** Bulk: adds each line's segment tag. */
export const SEGMENT_TAGS_BULK_ADD_MUTATION = `#graphql
  mutation SegmentTagsBulkAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
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

/** Bulk: removes each line's stale app tags. */
export const SEGMENT_TAGS_BULK_REMOVE_MUTATION = `#graphql
  mutation SegmentTagsBulkRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
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

/**
 * The customers' segment metafield ($app.rfm_segment, read by the storefront's VIP block): up to 25
 * customers per call, in bulk a line of them per call. metafieldsSet is atomic: a line is set as a
 * whole or not at all.
 */
export const SEGMENT_METAFIELDS_SET_MUTATION = `#graphql
  mutation SegmentMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
