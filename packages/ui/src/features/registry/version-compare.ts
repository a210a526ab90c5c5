/** Rows for comparing model versions side by side: one cell per version, differences marked. Pure. */
import type { MlModelInfo } from '../../api/trove.ts';
import type { ModelVersion, Run } from '../../api/types.ts';
import { formatTime } from '../../lib/format.ts';
import { type CompareRow, compareRows } from '../compare/compare-rows.ts';

export interface ComparedVersion {
  version: ModelVersion;
  /** The source run, when it still exists and the caller may read it. */
  run?: Run;
  mlmodel?: MlModelInfo;
}

export interface VersionComparison {
  version: CompareRow[];
  signature: CompareRow[];
  tags: CompareRow[];
  params: CompareRow[];
  metrics: CompareRow[];
}

export function compareVersions(versions: readonly ComparedVersion[]): VersionComparison {
  return {
    version: inFactOrder(compareRows(versions.map(versionFacts))),
    signature: compareRows(versions.map((v) => signatureFacts(v.mlmodel))),
    tags: compareRows(versions.map((v) => pairs(v.version.tags))),
    params: compareRows(versions.map((v) => pairs(v.run?.data.params))),
    metrics: compareRows(
      versions.map((v) => new Map((v.run?.data.metrics ?? []).map((m) => [m.key, String(m.value)]))),
    ),
  };
}

function pairs(list: readonly { key: string; value: string }[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((t) => [t.key, t.value]));
}

/** The version's own fields (missing ones left out, so they count as differences only where others have them). */
function versionFacts(v: ComparedVersion): Map<string, string> {
  const mv = v.version;
  const facts: [string, string | undefined][] = [
    ['stage', mv.current_stage || 'None'],
    ['aliases', (mv.aliases ?? []).map((a) => `@${a}`).join(' ') || undefined],
    ['created', formatTime(mv.creation_timestamp) || undefined],
    ['registered by', mv.user_id || undefined],
    ['source', mv.source || undefined],
    ['run', v.run ? v.run.info.run_name || v.run.info.run_id : mv.run_id || undefined],
    ['status', mv.status || undefined],
    ['description', mv.description || undefined],
  ];
  return new Map(facts.filter((f): f is [string, string] => f[1] !== undefined));
}

/** The version section keeps this order (compareRows sorts keys by name). */
const VERSION_FACT_ORDER = ['stage', 'aliases', 'created', 'registered by', 'source', 'run', 'status', 'description'];

interface ColSpec {
  name?: string;
  type?: string;
  required?: boolean;
  'tensor-spec'?: { dtype?: string; shape?: unknown };
  shape?: unknown;
}

/** `inputs.image_path` → `string, required` (tensors: `tensor<float32> [-1,3,224,224]`). */
export function signatureFacts(info: MlModelInfo | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const side of ['inputs', 'outputs', 'params'] as const) {
    const spec = info?.signature?.[side];
    const cols: ColSpec[] = Array.isArray(spec) ? spec : spec && typeof spec === 'object' ? [spec as ColSpec] : [];
    cols.forEach((c, i) => {
      const type = c.type === 'tensor' ? `tensor<${c['tensor-spec']?.dtype ?? '?'}>` : (c.type ?? '?');
      const shape = c['tensor-spec']?.shape ?? c.shape;
      const parts = [type, shape === undefined ? '' : JSON.stringify(shape), c.required === false ? 'optional' : ''];
      out.set(`${side}.${c.name ?? `#${i}`}`, parts.filter(Boolean).join(' '));
    });
  }
  return out;
}

function inFactOrder(rows: readonly CompareRow[]): CompareRow[] {
  return [...rows].sort((a, b) => VERSION_FACT_ORDER.indexOf(a.key) - VERSION_FACT_ORDER.indexOf(b.key));
}

/** Version numbers from `?v=` as given, deduplicated, in ascending numeric order. */
export function versionsToCompare(v: readonly string[] | null): string[] {
  return [...new Set((v ?? []).map((s) => s.trim()).filter((s) => /^\d+$/.test(s)))].sort(
    (a, b) => Number(a) - Number(b),
  );
}
