import { useId, useMemo } from 'react';
import type { Run } from '../../api/types.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { fileAtStep, type StepFileKind, stepStops, stopIndex } from '../../lib/step-files.ts';
import { useStepFiles } from './queries.ts';
import { StepFileView } from './StepFileView.tsx';
import '../../charts/charts.css';

const KIND_TITLES: Record<StepFileKind, string> = {
  image: 'Images',
  audio: 'Audio',
  video: 'Video',
  table: 'Tables',
  file: 'Files',
};

/**
 * Files logged per step (`log_image` and the SDK's `logAudio/logVideo/logTable/logFile`): one
 * slider (`?istep=`) picks the step for every kind; each key shows its file at that step, or its
 * latest before it.
 */
export function MediaTab({ run, step, onStep }: { run: Run; step: number | null; onStep: (step: number) => void }) {
  const runId = run.info.run_id;
  const listing = useStepFiles(runId);
  const sliderId = useId();
  const groups = listing.data;
  const stops = useMemo(() => (groups ? stepStops(groups) : []), [groups]);
  if (listing.isPending) return <Loading label="Listing files logged per step…" />;
  if (!groups) return <ErrorBox error={listing.error} />;
  if (stops.length === 0)
    return (
      <Empty>
        No files logged per step (MLflow's log_image with key and step, or the SDK's logImage, logAudio, logVideo,
        logTable and logFile).
      </Empty>
    );
  const index = stopIndex(stops, step);
  const current = stops[index];
  return (
    <div>
      <div className="toolbar">
        <div className="field grow step-files-slider">
          <label htmlFor={sliderId}>
            Step {current} ({index + 1} of {stops.length})
          </label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={stops.length - 1}
            step={1}
            value={index}
            onChange={(e) => onStep(stops[Number(e.target.value)])}
            aria-valuetext={`step ${current}`}
          />
        </div>
      </div>
      {[...groups].map(([kind, keys]) => (
        <section key={kind} className="step-files-kind" data-kind={kind} aria-label={KIND_TITLES[kind]}>
          <h2>{KIND_TITLES[kind]}</h2>
          <div className="step-files">
            {[...keys].map(([key, files]) => {
              const file = fileAtStep(files, current);
              return file ? <StepFileView key={key} runId={runId} file={file} /> : null;
            })}
          </div>
        </section>
      ))}
    </div>
  );
}
