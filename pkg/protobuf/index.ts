/**
 * Kubernetes protobuf (`application/vnd.kubernetes.protobuf`) for every built-in type: decode
 * request bodies into Kubernetes JSON, encode JSON objects for protobuf-only clients.
 */
export {
  type DecodedKubeObject,
  canEncodeKubeProtobuf,
  decodeKubeProtobuf,
  encodeKubeProtobuf,
  isProtobufContentType,
  protobufContentType,
} from './codec.ts';
export { formatGoDuration, parseGoDuration } from './go-duration.ts';
