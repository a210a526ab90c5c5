// Regenerates packages/server/src/otlp/trace-service.descriptor.json from the vendored .proto files:
//   npx tsx packages/server/scripts/otlp-descriptor.ts
import { writeFileSync } from 'node:fs';
import { DESCRIPTOR_FILE, traceServiceDescriptor } from './otlp-proto.ts';

writeFileSync(DESCRIPTOR_FILE, traceServiceDescriptor());
console.log(`wrote ${DESCRIPTOR_FILE}`);
