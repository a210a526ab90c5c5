import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The vendored `.proto` files (opentelemetry-proto v1.11.0). */
export const PROTO_DIR = fileURLToPath(new URL('../src/otlp/proto', import.meta.url));
export const DESCRIPTOR_FILE = fileURLToPath(new URL('../src/otlp/trace-service.descriptor.json', import.meta.url));
const TRACE_SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/**
 * The OpenTelemetry project's trace service definitions as protobufjs's JSON descriptor. The
 * server loads the committed descriptor rather than the `.proto` files so that it also runs
 * bundled into one file; a test keeps the two equal.
 */
export function traceServiceDescriptor(): string {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(TRACE_SERVICE_PROTO);
  return `${JSON.stringify(root.toJSON(), null, 2)}\n`;
}
