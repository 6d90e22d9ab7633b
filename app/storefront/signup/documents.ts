// Admin GraphQL documents of the storefront signup (API 2026-10), validated against Shopify's
// schema by test/unit/admin-documents.test.ts.

export const SIGNUP_CUSTOMER_QUERY = `#graphql
  query SignupCustomer($id: ID!) {
    customer(id: $id) {
      id
      email
      phone
      emailMarketingConsent {
        marketingState
        marketingOptInLevel
      }
      smsMarketingConsent {
        marketingState
        marketingOptInLevel
      }
    }
  }
`;

/** Finds a customer by `email:…` or `phone:…`; two answers mean the search was not exact. */
export const SIGNUP_CUSTOMER_SEARCH = `#graphql
  query SignupCustomerSearch($query: String!) {
    customers(first: 2, query: $query) {
      nodes {
        id
        email
        phone
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
        }
      }
    }
  }
`;

export const SIGNUP_CUSTOMER_CREATE = `#graphql
  mutation SignupCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer {
        id
        email
        phone
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** A logged-in customer without a phone number signs up for texts: the number goes on the account first. */
export const SIGNUP_CUSTOMER_PHONE = `#graphql
  mutation SignupCustomerPhone($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer {
        id
        email
        phone
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SIGNUP_EMAIL_CONSENT = `#graphql
  mutation SignupEmailConsent($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer {
        id
        email
        phone
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SIGNUP_SMS_CONSENT = `#graphql
  mutation SignupSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer {
        id
        email
        phone
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;
