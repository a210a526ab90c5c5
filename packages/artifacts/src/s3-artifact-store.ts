import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { notFound, TroveError } from '@trove/protocol';
import {
  type ArtifactEntry,
  type ArtifactRead,
  type ArtifactStat,
  type ArtifactStore,
  type ByteRange,
  resolveRange,
} from './artifact-store.ts';
import type { MultipartUploadStore, PresignedPart, UploadedPart } from './multipart-upload.ts';
import { joinKey, safeArtifactPath } from './safe-path.ts';

/** lib-storage's minimum (S3 refuses smaller non-final parts); also our default. */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3 caps DeleteObjects at this many keys per request. */
const DELETE_BATCH = 1000;
/** How long a presigned part URL stays valid (boto3's default, what MLflow hands out). */
const PART_URL_SECONDS = 3600;

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slashes ('' for the bucket root). */
  prefix: string;
}

export interface S3ArtifactStoreOptions extends S3Location {
  /** A ready client (tests, custom setups); otherwise one is built from `clientConfig` and the environment. */
  client?: S3Client;
  /** Extra client settings; `endpoint`, `region` and `forcePathStyle` override what the environment says. */
  clientConfig?: S3ClientConfig;
  /** Environment to read endpoint and region from (defaults to `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Bytes per multipart part (default and minimum 5 MiB). */
  partSize?: number;
  /** Parts uploaded concurrently; at most `(queueSize + 1) * partSize` bytes are buffered per upload. */
  queueSize?: number;
  /** Keys per ListObjectsV2 page (default and S3's maximum 1000; smaller only to exercise paging in tests). */
  pageSize?: number;
}

/** Parses `s3://bucket[/prefix]`; throws with a readable message otherwise. */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(uri);
  if (!m) throw new Error(`not an s3://bucket/prefix URI: ${uri}`);
  const bucket = m[1];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new Error(`invalid S3 bucket name '${bucket}' in ${uri}`);
  const rawPrefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  let prefix: string;
  try {
    prefix = safeArtifactPath(rawPrefix, { encoded: false, allowEmpty: true });
  } catch (e) {
    throw new Error(`invalid key prefix in ${uri}: ${(e as Error).message}`);
  }
  return { bucket, prefix };
}

/**
 * The endpoint the S3 client should use: MLflow's `MLFLOW_S3_ENDPOINT_URL` first (what MLflow
 * users already set), then the SDK-wide `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`.
 */
export function s3EndpointFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.MLFLOW_S3_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

type Sdk = typeof import('@aws-sdk/client-s3');

// The SDK is loaded on first use, so servers on local disk do not pay for it at startup.
let sdkPromise: Promise<Sdk> | undefined;
const loadSdk = () => (sdkPromise ??= import('@aws-sdk/client-s3'));

const invalid = (detail: string) => new TroveError('INVALID_PARAMETER_VALUE', `Invalid path: ${detail}`);
const missing = (path: string) => notFound(`Artifact '${path}' does not exist or is a directory.`);

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.$metadata?.httpStatusCode === 404 || err?.name === 'NoSuchKey' || err?.name === 'NotFound';
}

function isPreconditionFailed(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.$metadata?.httpStatusCode === 412 || err?.name === 'PreconditionFailed';
}

/** S3's answers to a bad multipart request, restated as client errors instead of 500s. */
function multipartError(e: unknown, uploadId: string): unknown {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err?.name ?? err?.Code;
  if (code === 'NoSuchUpload')
    return notFound(`Multipart upload '${uploadId}' does not exist (it was completed, aborted or never created).`);
  const status = err?.$metadata?.httpStatusCode ?? 0;
  if (status === 400 || (status === 404 && code !== 'NoSuchBucket'))
    return new TroveError(
      'INVALID_PARAMETER_VALUE',
      `The object store refused the multipart upload: ${code ?? status} ${err?.message ?? ''}`.trim(),
    );
  return e;
}

/**
 * Drops the SDK's default CRC32 from a request about to be presigned: it is the checksum of an
 * empty body (the part is not known yet), and S3 would refuse every part sent to such a URL.
 */
const withoutChecksums =
  <T, R>(next: (args: T) => Promise<R>) =>
  (args: T): Promise<R> => {
    const headers = (args as { request?: { headers?: Record<string, string> } }).request?.headers ?? {};
    for (const name of Object.keys(headers))
      if (/^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name)) delete headers[name];
    return next(args);
  };

function isAddressable(name: string): boolean {
  try {
    return name !== '' && safeArtifactPath(name, { encoded: false }) === name;
  } catch {
    return false;
  }
}

const byName = (a: ArtifactEntry, b: ArtifactEntry) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.isDir === b.isDir ? 0 : a.isDir ? 1 : -1;

/**
 * Artifacts as objects in one S3 (or S3-compatible) bucket under a key prefix. Directories are
 * implicit: a listing groups keys on `/` (common prefixes are directories). Uploads stream through
 * lib-storage's `Upload` (multipart above one part, a bounded number of parts in memory), reads
 * use GetObject with a Range, and an object is replaced atomically by S3 itself.
 */
export class S3ArtifactStore implements ArtifactStore, MultipartUploadStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly partSize: number;
  readonly queueSize: number;
  readonly pageSize: number;
  #client: S3Client | undefined;
  readonly #options: S3ArtifactStoreOptions;

  constructor(options: S3ArtifactStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.partSize = Math.max(S3_MIN_PART_BYTES, options.partSize ?? S3_MIN_PART_BYTES);
    this.queueSize = Math.max(1, options.queueSize ?? 2);
    this.pageSize = Math.min(DELETE_BATCH, Math.max(1, options.pageSize ?? DELETE_BATCH));
    this.#client = options.client;
    this.#options = options;
  }

  /** `s3://bucket/prefix` with the endpoint, region and credentials the environment names. */
  static fromUri(uri: string, options: Omit<S3ArtifactStoreOptions, 'bucket' | 'prefix'> = {}): S3ArtifactStore {
    return new S3ArtifactStore({ ...parseS3Uri(uri), ...options });
  }

  get uri(): string {
    return `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  async #sdk(): Promise<{ sdk: Sdk; client: S3Client }> {
    const sdk = await loadSdk();
    if (!this.#client) {
      const env = this.#options.env ?? process.env;
      const endpoint = s3EndpointFromEnv(env);
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
      const config: S3ClientConfig = {
        // A custom endpoint (MinIO, moto, Ceph...) rarely serves virtual-hosted buckets; AWS itself
        // moves a bucket to its region when the client guessed wrong.
        ...(endpoint ? { endpoint, forcePathStyle: true } : { followRegionRedirects: true }),
        // AWS_REGION (the SDK's own variable), boto3's AWS_DEFAULT_REGION, else the SDK's chain
        // (profile); a custom endpoint without any region gets us-east-1, as boto3 does.
        ...(region ? { region } : endpoint ? { region: 'us-east-1' } : {}),
        // Credentials: the SDK's standard chain (env, profile, SSO, web identity, IMDS/ECS). Only
        // an environment other than the process's own is read here explicitly.
        ...(env !== process.env && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? {
              credentials: {
                accessKeyId: env.AWS_ACCESS_KEY_ID,
                secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
                sessionToken: env.AWS_SESSION_TOKEN || undefined,
              },
            }
          : {}),
        ...this.#options.clientConfig,
      };
      this.#client = new sdk.S3Client(config);
    }
    return { sdk, client: this.#client };
  }

  #key(path: string): string {
    return joinKey(this.prefix, path);
  }

  /** The listing prefix of a directory (`prefix/dir/`, or `prefix/` / '' for the root). */
  #dirPrefix(dir: string): string {
    const key = this.#key(dir);
    return key === '' ? '' : `${key}/`;
  }

  async put(path: string, body: Readable): Promise<{ size: number }> {
    if (path === '') throw invalid('empty');
    const { client } = await this.#sdk();
    const { Upload } = await import('@aws-sdk/lib-storage');
    let size = 0;
    // Counting on the way through; an error in `body` surfaces from the iterator, which makes
    // Upload abort the multipart upload, so the previous object stays in place.
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of body) {
          const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += buf.length;
          yield buf;
        }
      })(),
      { objectMode: false, highWaterMark: 64 * 1024 },
    );
    const upload = new Upload({
      client,
      params: { Bucket: this.bucket, Key: this.#key(path), Body: counted },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      counted.destroy();
      if (!body.destroyed) body.destroy();
      throw e;
    }
    return { size };
  }

  async open(path: string, range?: ByteRange): Promise<ArtifactRead> {
    if (path === '') throw missing(path);
    const { sdk, client } = await this.#sdk();
    const Key = this.#key(path);
    // Whole object: one GetObject. A range is resolved against the size first (HeadObject), then
    // fetched with If-Match on that ETag, so a concurrent overwrite cannot mix two versions.
    for (let attempt = 0; ; attempt++) {
      try {
        if (!range) {
          const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key }));
          const size = Number(out.ContentLength ?? 0);
          const stream = (out.Body as Readable | undefined) ?? Readable.from([]);
          return { stream, size, contentLength: size, start: 0, end: size - 1 };
        }
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key }));
        const size = Number(head.ContentLength ?? 0);
        const { start, end } = resolveRange(range, size);
        const out = await client.send(
          new sdk.GetObjectCommand({
            Bucket: this.bucket,
            Key,
            Range: `bytes=${start}-${end}`,
            ...(head.ETag ? { IfMatch: head.ETag } : {}),
          }),
        );
        const stream = (out.Body as Readable | undefined) ?? Readable.from([]);
        return { stream, size, contentLength: end - start + 1, start, end };
      } catch (e) {
        if (isNotFound(e)) throw missing(path);
        if (isPreconditionFailed(e) && attempt < 3) continue;
        throw e;
      }
    }
  }

  async stat(path: string): Promise<ArtifactStat | undefined> {
    const { sdk, client } = await this.#sdk();
    if (path !== '') {
      try {
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(path) }));
        return { isDir: false, size: Number(head.ContentLength ?? 0) };
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const out = await client.send(
      new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#dirPrefix(path), MaxKeys: 1 }),
    );
    if ((out.KeyCount ?? out.Contents?.length ?? 0) > 0) return { isDir: true };
    return path === '' ? { isDir: true } : undefined;
  }

  async list(dir: string): Promise<ArtifactEntry[]> {
    const { sdk, client } = await this.#sdk();
    const prefix = this.#dirPrefix(dir);
    const entries: ArtifactEntry[] = [];
    let ContinuationToken: string | undefined;
    do {
      const out = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken,
          MaxKeys: this.pageSize,
        }),
      );
      for (const p of out.CommonPrefixes ?? []) {
        const name = (p.Prefix ?? '').slice(prefix.length, -1);
        if (isAddressable(name)) entries.push({ name, isDir: true });
      }
      for (const o of out.Contents ?? []) {
        // Keys a client could never address (`a//b`, a `dir/` marker object) stay hidden.
        const name = (o.Key ?? '').slice(prefix.length);
        if (isAddressable(name)) entries.push({ name, isDir: false, size: Number(o.Size ?? 0) });
      }
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return entries.sort(byName);
  }

  async delete(path: string): Promise<void> {
    if (path === '') throw invalid('refusing to delete the artifact root');
    const { sdk, client } = await this.#sdk();
    const Key = this.#key(path);
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key }));
    // Everything below `path/` (never `path` as a bare prefix: deleting `a.txt` must spare `a.txt2`).
    let ContinuationToken: string | undefined;
    do {
      const out = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${Key}/`,
          ContinuationToken,
          MaxKeys: this.pageSize,
        }),
      );
      const keys = (out.Contents ?? []).map((o) => ({ Key: o.Key as string }));
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const res = await client.send(
          new sdk.DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: keys.slice(i, i + DELETE_BATCH), Quiet: true },
          }),
        );
        const failed = (res.Errors ?? []).filter((err) => err.Code !== 'NoSuchKey');
        if (failed.length > 0)
          throw new Error(
            `S3 could not delete ${failed.length} object(s) under ${Key}/: ${failed[0].Code} ${failed[0].Message ?? ''}`.trim(),
          );
      }
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async createMultipartUpload(path: string, numParts: number): Promise<{ uploadId: string; parts: PresignedPart[] }> {
    if (path === '') throw invalid('empty');
    const { sdk, client } = await this.#sdk();
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const Key = this.#key(path);
    const created = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
    const uploadId = created.UploadId as string;
    const parts: PresignedPart[] = [];
    for (let partNumber = 1; partNumber <= numParts; partNumber++) {
      const command = new sdk.UploadPartCommand({
        Bucket: this.bucket,
        Key,
        UploadId: uploadId,
        PartNumber: partNumber,
      });
      command.middlewareStack.add(withoutChecksums, {
        step: 'build',
        priority: 'low',
        name: 'troveUnsignedPartChecksum',
      });
      parts.push({
        partNumber,
        url: await getSignedUrl(client, command, { expiresIn: PART_URL_SECONDS }),
        headers: {},
      });
    }
    return { uploadId, parts };
  }

  async completeMultipartUpload(path: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    const { sdk, client } = await this.#sdk();
    const Key = this.#key(path);
    // S3 wants the parts in ascending order; a client that sends them as they finished still completes.
    const sorted = [...parts]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag }));
    try {
      // An unknown upload id is asked about first: S3 answers NoSuchUpload either way, but some
      // S3-compatible servers (moto) fail CompleteMultipartUpload for it with a 500.
      await client.send(new sdk.ListPartsCommand({ Bucket: this.bucket, Key, UploadId: uploadId, MaxParts: 1 }));
      await client.send(
        new sdk.CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          UploadId: uploadId,
          MultipartUpload: { Parts: sorted },
        }),
      );
    } catch (e) {
      throw multipartError(e, uploadId);
    }
  }

  async abortMultipartUpload(path: string, uploadId: string): Promise<void> {
    const { sdk, client } = await this.#sdk();
    try {
      await client.send(
        new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.#key(path), UploadId: uploadId }),
      );
    } catch (e) {
      throw multipartError(e, uploadId);
    }
  }

  /** Verifies the bucket answers (for readiness checks). */
  async ping(): Promise<void> {
    const { sdk, client } = await this.#sdk();
    await client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#dirPrefix(''), MaxKeys: 1 }));
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.#client?.destroy();
  }
}
