export { EVENT_PARSE_ERROR_CODES, EventParseError } from './errors.js';
export type { EventParseErrorCode, EventParseErrorDetails } from './errors.js';
export { EVENT_FAMILIES } from './families.js';
export { detectFamily, parse, safeParse, safeParseBatch, unwrapHttpTriggerEvent } from './parse.js';
export type {
  Alert,
  AlertDetailValue,
  AlertKind,
  AlertSeverity,
  AlertSource,
  EventFamily,
  HttpTriggerRequest,
  ParseOptions,
  RejectedElement,
  SafeParseBatchResult,
  SafeParseResult,
} from './types.js';
