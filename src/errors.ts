// The one error class every layer throws. A KmsError becomes HTTP 400 `{"__type","message"}`
// on the wire (HTTP 500 for server faults); anything else thrown is an internal error.

export type KmsErrorType =
  | 'AccessDeniedException'
  | 'AlreadyExistsException'
  | 'ConflictException'
  | 'CustomKeyStoreNotFoundException'
  | 'DependencyTimeoutException'
  | 'DisabledException'
  | 'DryRunOperationException'
  | 'ExpiredImportTokenException'
  | 'IncompleteSignatureException'
  | 'IncorrectKeyException'
  | 'IncorrectKeyMaterialException'
  | 'InvalidAliasNameException'
  | 'InvalidArnException'
  | 'InvalidCiphertextException'
  | 'InvalidGrantIdException'
  | 'InvalidGrantTokenException'
  | 'InvalidImportTokenException'
  | 'InvalidKeyUsageException'
  | 'InvalidMarkerException'
  | 'InvalidSignatureException'
  | 'KMSInternalException'
  | 'KMSInvalidMacException'
  | 'KMSInvalidSignatureException'
  | 'KMSInvalidStateException'
  | 'KeyUnavailableException'
  | 'LimitExceededException'
  | 'MalformedPolicyDocumentException'
  | 'MissingAuthenticationTokenException'
  | 'NotAuthorizedException'
  | 'NotFoundException'
  | 'RequestEntityTooLargeException'
  | 'SerializationException'
  | 'TagException'
  | 'UnknownOperationException'
  | 'UnrecognizedClientException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

/** Server faults: HTTP 500, retried by SDKs. Everything else is a client error (HTTP 400). */
const SERVER_FAULTS: ReadonlySet<KmsErrorType> = new Set([
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
]);

export class KmsError extends Error {
  readonly type: KmsErrorType;
  readonly status: number;

  constructor(type: KmsErrorType, message: string) {
    super(message);
    this.name = type;
    this.type = type;
    // AWS answers 400 for every client error, even where the Smithy model says 404/409 (spec §4.4).
    this.status = SERVER_FAULTS.has(type) ? 500 : 400;
  }
}

export const isKmsError = (e: unknown): e is KmsError => e instanceof KmsError;
