import { artifactUrl } from '../../api/mlflow.ts';
import { formatBytes, formatTime } from '../../lib/format.ts';
import type { StepFile } from '../../lib/step-files.ts';
import { StepTable } from './StepTable.tsx';

/** One key's file at the slider's step, shown as its kind is: image, player, table or download link. */
export function StepFileView({ runId, file }: { runId: string; file: StepFile }) {
  const url = artifactUrl(runId, file.path);
  const label = `${file.key} at step ${file.step}`;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  return (
    <figure data-kind={file.kind} data-key={file.key} data-step={file.step}>
      {file.kind === 'image' ? <img src={url} alt={label} /> : null}
      {file.kind === 'audio' ? (
        // biome-ignore lint/a11y/useMediaCaption: user artifacts come without captions
        <audio controls preload="metadata" src={url} aria-label={label} />
      ) : null}
      {file.kind === 'video' ? (
        // biome-ignore lint/a11y/useMediaCaption: user artifacts come without captions
        <video controls preload="metadata" src={url} aria-label={label} />
      ) : null}
      {file.kind === 'table' ? <StepTable url={url} size={file.size} label={label} /> : null}
      {file.kind === 'file' ? (
        <a className="button" href={url} download={name}>
          {`Download ${name.slice(name.lastIndexOf('.'))}${file.size === undefined ? '' : ` (${formatBytes(file.size)})`}`}
        </a>
      ) : null}
      <figcaption>
        <span className="mono">{file.key}</span> · step {file.step} · {formatTime(file.timestamp)}
      </figcaption>
    </figure>
  );
}
