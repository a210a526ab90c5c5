import { defineMessage, i64, objList, str } from '../message.ts';

// Request messages of MLflow's artifact proxy multipart uploads (reference §9.3). `path` is the
// client's local file name: its basename names the object inside the URL's directory.

export const CreateMultipartUpload = defineMessage({ path: str(true), num_parts: i64() });
export const CompleteMultipartUpload = defineMessage({ path: str(true), upload_id: str(), parts: objList(true) });
export const AbortMultipartUpload = defineMessage({ path: str(true), upload_id: str() });
