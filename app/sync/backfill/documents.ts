// Admin GraphQL documents of the bulk backfill (API 2026-10). Each is validated against Shopify's
// published schema by test/unit/admin-documents.test.ts.
//
// Customers select no nested connection: every line is a customer. Orders select their line items'
// products and products their variants' availability: each child comes on its own line with
// `__parentId`, read back into its parent's row by families.ts.
// Customer.email / phone / emailMarketingConsent / smsMarketingConsent are deprecated in 2026-10
// (in favour of defaultEmailAddress / defaultPhoneNumber) but still served; Order.landingPageUrl
// is deprecated too: customerJourneySummary.firstVisit is preferred, landingPageUrl the fallback.

/** The bulk query for customers (the string passed to bulkOperationRunQuery). */
export const CUSTOMERS_BULK_QUERY = `#graphql
  query BackfillCustomers {
    customers {
      edges {
        node {
          id
          firstName
          lastName
          email
          phone
          createdAt
          updatedAt
          locale
          tags
          emailMarketingConsent {
            marketingState
            marketingOptInLevel
            consentUpdatedAt
          }
          smsMarketingConsent {
            marketingState
            marketingOptInLevel
            consentUpdatedAt
          }
          defaultAddress {
            countryCodeV2
            provinceCode
            timeZone
          }
          statistics {
            rfmGroup
          }
        }
      }
    }
  }
`;

/** The bulk query for orders. */
export const ORDERS_BULK_QUERY = `#graphql
  query BackfillOrders {
    orders {
      edges {
        node {
          id
          createdAt
          updatedAt
          cancelledAt
          test
          customer {
            id
          }
          currentTotalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalDiscountsSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          discountCodes
          landingPageUrl
          customerJourneySummary {
            firstVisit {
              landingPage
              referrerUrl
              utmParameters {
                source
                medium
                campaign
              }
            }
          }
          lineItems {
            edges {
              node {
                id
                product {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** The bulk query for the catalogue (what a cross-sell message shows, and whether it can be sold). */
export const PRODUCTS_BULK_QUERY = `#graphql
  query BackfillProducts {
    products {
      edges {
        node {
          id
          title
          handle
          productType
          tags
          status
          publishedAt
          updatedAt
          tracksInventory
          priceRangeV2 {
            minVariantPrice {
              amount
              currencyCode
            }
          }
          featuredMedia {
            preview {
              image {
                url
              }
            }
          }
          variants {
            edges {
              node {
                id
                availableForSale
              }
            }
          }
        }
      }
    }
  }
`;

export const BACKFILL_SHOP_QUERY = `#graphql
  query BackfillShop {
    shop {
      name
      currencyCode
      ianaTimezone
      primaryDomain {
        url
      }
      billingAddress {
        countryCodeV2
      }
    }
  }
`;

export const BULK_RUN_QUERY_MUTATION = `#graphql
  mutation BackfillRunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_QUERY = `#graphql
  query BackfillBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
      completedAt
    }
  }
`;

export const BULK_CANCEL_MUTATION = `#graphql
  mutation BackfillCancelBulk($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;
