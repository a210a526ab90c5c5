import { useId, useMemo } from 'react';
import { artifactUrl } from '../../api/mlflow.ts';
import type { Run } from '../../api/types.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { groupStepImages, imageAtStep, imageSteps } from '../../lib/image-steps.ts';
import { useArtifactList } from './queries.ts';
import '../../charts/charts.css';

/**
 * Images logged per step (`mlflow.log_image(image, key=…, step=…)`, stored under `images/`): one
 * image per key, all at the step chosen on the slider (`?istep=`); a key with nothing at that
 * step shows its latest image before it.
 */
export function ImagesTab({ run, step, onStep }: { run: Run; step: number | null; onStep: (step: number) => void }) {
  const list = useArtifactList(run.info.run_id, 'images');
  const sliderId = useId();
  const groups = useMemo(
    () => groupStepImages((list.data ?? []).filter((f) => !f.is_dir).map((f) => f.path)),
    [list.data],
  );
  const steps = useMemo(() => imageSteps(groups), [groups]);
  if (list.isPending) return <Loading label="Listing images…" />;
  if (list.error) return <ErrorBox error={list.error} />;
  if (steps.length === 0) return <Empty>No images logged per step (MLflow's log_image with key and step).</Empty>;
  // The chosen step, or the last one; a step not logged snaps to the nearest stop at or before it.
  const index =
    step === null
      ? steps.length - 1
      : Math.max(
          0,
          steps.findLastIndex((s) => s <= step),
        );
  const current = steps[index];
  return (
    <div>
      <div className="toolbar">
        <div className="field grow image-steps-slider">
          <label htmlFor={sliderId}>
            Step {current} ({index + 1} of {steps.length})
          </label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={steps.length - 1}
            step={1}
            value={index}
            onChange={(e) => onStep(steps[Number(e.target.value)])}
            aria-valuetext={`step ${current}`}
          />
        </div>
      </div>
      <div className="image-steps">
        {[...groups].map(([key, images]) => {
          const img = imageAtStep(images, current);
          if (!img) return null;
          return (
            <figure key={key} data-key={key} data-step={img.step}>
              <img src={artifactUrl(run.info.run_id, img.path)} alt={`${key} at step ${img.step}`} />
              <figcaption>
                <span className="mono">{key}</span> · step {img.step} · {formatTime(img.timestamp)}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
