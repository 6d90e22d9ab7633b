// Admin GraphQL documents of bulk mutations (API 2026-10), validated against Shopify's schema by
// test/unit/admin-documents.test.ts. The flow: stagedUploadsCreate → POST the JSONL of variables to
// the staged target → bulkOperationRunMutation(stagedUploadPath: the target's `key`) → poll.

export const STAGED_UPLOADS_CREATE_MUTATION = `#graphql
  mutation BulkMutationStageVariables($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_RUN_MUTATION_MUTATION = `#graphql
  mutation BulkMutationRun($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
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

export const BULK_MUTATION_OPERATION_QUERY = `#graphql
  query BulkMutationOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
    }
  }
`;
