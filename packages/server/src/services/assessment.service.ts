import { randomUUID } from 'node:crypto';
import { invalidParam, notFound, parseJson, stringifyJson } from '@trove/protocol';
import {
  deleteTraceAssessment,
  findTraceAssessment,
  insertTraceAssessment,
  loadTraceAssessments,
  runInTransaction,
  type Store,
  type StoreDb,
  type TraceAssessmentRow,
  updateTraceAssessment,
} from '@trove/store';
import type { TraceRecord, TraceService } from './trace.service.ts';
import { timestampOf, timestampToMs } from './trace-v3-format.ts';
import type { Workspace } from './workspace.service.ts';

/**
 * Assessments of a trace (MLflow 3's feedback and expectations, `assessments.proto`). A row keeps
 * what search and listing need in columns; `content` holds the rest as MLflow's Assessment object
 * has it: `source`, `feedback` (`{value, error}`) or `expectation` (`{value}` or
 * `{serialized_value}`), `rationale`, `metadata`.
 */
const SOURCE_TYPES = ['HUMAN', 'LLM_JUDGE', 'CODE'] as const;
/** MLflow still reads the source type it renamed. */
const SOURCE_ALIASES: Record<string, string> = { AI_JUDGE: 'LLM_JUDGE' };
const RUN_ID_KEY = 'mlflow.assessment.sourceRunId';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringMap(v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw invalidParam(`'${field}' must be a map of strings.`);
  return v as Record<string, string>;
}

function source(v: unknown): Json {
  if (!isObj(v)) throw invalidParam("Missing value for required parameter 'assessment.source'.");
  const type = SOURCE_ALIASES[String(v.source_type)] ?? v.source_type;
  if (!(SOURCE_TYPES as readonly unknown[]).includes(type))
    throw invalidParam(
      `Invalid assessment source type ${JSON.stringify(v.source_type)}; one of ${SOURCE_TYPES.join(', ')}.`,
    );
  return { source_type: type, source_id: typeof v.source_id === 'string' ? v.source_id : '' };
}

/** The feedback or expectation of an assessment, checked for its shape. */
function assessmentValue(a: Json): { kind: 'feedback' | 'expectation'; value: Json } {
  if (isObj(a.feedback) && isObj(a.expectation))
    throw invalidParam('An assessment has either a feedback or an expectation, not both.');
  if (isObj(a.feedback)) {
    if (a.feedback.error !== undefined && !isObj(a.feedback.error))
      throw invalidParam("'feedback.error' must be an object.");
    return { kind: 'feedback', value: a.feedback };
  }
  if (isObj(a.expectation)) {
    const sv = a.expectation.serialized_value;
    if (sv !== undefined) {
      if (!isObj(sv) || sv.serialization_format !== 'JSON_FORMAT' || typeof sv.value !== 'string')
        throw invalidParam("'expectation.serialized_value' needs serialization_format JSON_FORMAT and a string value.");
      try {
        parseJson(sv.value);
      } catch {
        throw invalidParam("'expectation.serialized_value.value' is not JSON.");
      }
    }
    return { kind: 'expectation', value: a.expectation };
  }
  throw invalidParam('An assessment needs a feedback or an expectation.');
}

/** FieldMask JSON: comma-separated paths, lowerCamelCase (`assessmentName`) or as written in the proto. */
function maskPaths(mask: string): string[] {
  return mask
    .split(',')
    .map((p) => p.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter((p) => p !== '');
}

export function createAssessmentService(store: Store, traces: TraceService) {
  const { db } = store;

  function present(row: TraceAssessmentRow, traceId: string): Json {
    const c = parseJson(row.content) as Json;
    return {
      assessment_id: row.assessment_id,
      assessment_name: row.name,
      trace_id: traceId,
      ...(row.span_id === null ? {} : { span_id: row.span_id }),
      source: c.source,
      create_time: timestampOf(Number(row.creation_time)),
      last_update_time: timestampOf(Number(row.last_update_time)),
      [row.kind]: c[row.kind],
      ...(c.rationale === undefined ? {} : { rationale: c.rationale }),
      ...(c.metadata === undefined ? {} : { metadata: c.metadata }),
      ...(row.overrides === null ? {} : { overrides: row.overrides }),
      valid: Number(row.valid) === 1,
    };
  }

  /** Every trace's assessments, by the trace's surrogate key, oldest first. */
  async function ofTraces(records: TraceRecord[]): Promise<Map<number, Json[]>> {
    const rows = await loadTraceAssessments(
      db,
      records.map((r) => r.id),
    );
    const ids = new Map(records.map((r) => [Number(r.id), r.trace_id]));
    const out = new Map<number, Json[]>();
    for (const row of rows) {
      const pk = Number(row.trace_pk);
      const list = out.get(pk) ?? [];
      list.push(present(row, ids.get(pk) ?? ''));
      out.set(pk, list);
    }
    return out;
  }

  async function rowOf(tx: StoreDb, record: TraceRecord, assessmentId: string): Promise<TraceAssessmentRow> {
    const row = await findTraceAssessment(tx, assessmentId);
    if (!row || Number(row.trace_pk) !== Number(record.id))
      throw notFound(`Assessment with ID '${assessmentId}' not found for trace '${record.trace_id}'.`);
    return row;
  }

  /** Writes a new assessment; one that `overrides` another marks that one invalid. */
  async function insert(tx: StoreDb, record: TraceRecord, a: Json): Promise<string> {
    if (typeof a.assessment_name !== 'string' || a.assessment_name === '')
      throw invalidParam("Missing value for required parameter 'assessment.assessment_name'.");
    const { kind, value } = assessmentValue(a);
    const metadata = stringMap(a.metadata, 'assessment.metadata');
    const now = Date.now();
    const created = a.create_time === undefined ? now : timestampToMs(a.create_time, 'assessment.create_time');
    const updated =
      a.last_update_time === undefined ? created : timestampToMs(a.last_update_time, 'assessment.last_update_time');
    const overrides = typeof a.overrides === 'string' && a.overrides !== '' ? a.overrides : null;
    if (overrides !== null) {
      await rowOf(tx, record, overrides);
      await updateTraceAssessment(tx, overrides, { valid: 0 });
    }
    const id = `a-${randomUUID().replaceAll('-', '')}`;
    await insertTraceAssessment(tx, {
      assessment_id: id,
      trace_pk: record.id,
      name: a.assessment_name,
      kind,
      span_id: typeof a.span_id === 'string' && a.span_id !== '' ? a.span_id : null,
      run_uuid: metadata?.[RUN_ID_KEY] ?? null,
      valid: a.valid === false ? 0 : 1,
      overrides,
      creation_time: created,
      last_update_time: updated,
      content: stringifyJson({
        source: source(a.source),
        [kind]: value,
        ...(typeof a.rationale === 'string' ? { rationale: a.rationale } : {}),
        ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
      }),
    });
    return id;
  }

  async function create(ws: Workspace, traceId: string, a: Json): Promise<Json> {
    const record = await traces.getRecord(ws, traceId);
    const id = await runInTransaction(store, (tx) => insert(tx, record, a));
    return present(await rowOf(db, record, id), record.trace_id);
  }

  async function get(ws: Workspace, traceId: string, assessmentId: string): Promise<Json> {
    const record = await traces.getRecord(ws, traceId);
    return present(await rowOf(db, record, assessmentId), record.trace_id);
  }

  /** MLflow's update: the masked fields change, metadata merges, source and span stay. */
  async function update(ws: Workspace, traceId: string, assessmentId: string, a: Json, mask: string): Promise<Json> {
    const record = await traces.getRecord(ws, traceId);
    const paths = maskPaths(mask);
    await runInTransaction(store, async (tx) => {
      const row = await rowOf(tx, record, assessmentId);
      const content = parseJson(row.content) as Json;
      const patch: Parameters<typeof updateTraceAssessment>[2] = { last_update_time: Date.now() };
      for (const path of paths) {
        if (path === 'assessment_name') {
          if (typeof a.assessment_name !== 'string' || a.assessment_name === '')
            throw invalidParam("'assessment.assessment_name' must be a non-empty string.");
          patch.name = a.assessment_name;
        } else if (path === 'feedback' || path === 'expectation') {
          const next = assessmentValue({ [path]: a[path] });
          if (next.kind !== row.kind)
            throw invalidParam(
              `Cannot update ${next.kind} value on ${row.kind === 'feedback' ? 'a Feedback' : 'an Expectation'} assessment.`,
            );
          content[row.kind] = next.value;
        } else if (path === 'rationale') {
          content.rationale = typeof a.rationale === 'string' ? a.rationale : undefined;
        } else if (path === 'metadata') {
          content.metadata = { ...(content.metadata as Json), ...stringMap(a.metadata, 'assessment.metadata') };
        } else if (path === 'valid') {
          patch.valid = a.valid === false ? 0 : 1;
        }
      }
      patch.content = stringifyJson(content);
      await updateTraceAssessment(tx, assessmentId, patch);
    });
    return get(ws, traceId, assessmentId);
  }

  /** Deleting is idempotent; an assessment that overrode another makes that one valid again. */
  async function remove(ws: Workspace, traceId: string, assessmentId: string): Promise<void> {
    const record = await traces.getRecord(ws, traceId);
    await runInTransaction(store, async (tx) => {
      const row = await findTraceAssessment(tx, assessmentId);
      if (!row || Number(row.trace_pk) !== Number(record.id)) return;
      if (row.overrides !== null) await updateTraceAssessment(tx, row.overrides, { valid: 1 });
      await deleteTraceAssessment(tx, assessmentId);
    });
  }

  return { create, insert, get, update, remove, ofTraces };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
