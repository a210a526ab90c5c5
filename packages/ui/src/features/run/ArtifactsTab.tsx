import { useState } from 'react';
import type { Run } from '../../api/types.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatBytes } from '../../lib/format.ts';
import { RegisterVersion } from '../registry/RegisterVersion.tsx';
import { ArtifactPreview } from './ArtifactPreview.tsx';
import { useArtifactList } from './queries.ts';

/** The run's artifact tree (folders listed on demand) and a preview of the selected file (`?path=`). */
export function ArtifactsTab({ run, path, onSelect }: { run: Run; path: string; onSelect: (path: string) => void }) {
  const runId = run.info.run_id;
  // Folders on the way to the selected file start open, so a shared link shows where the file is.
  const [open, setOpen] = useState<Set<string>>(() => new Set(ancestors(path)));
  const toggle = (dir: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(dir)) next.delete(dir);
      else next.add(dir);
      return next;
    });
  return (
    <>
      <div className="button-row">
        <RegisterVersion label="Register model" runId={runId} folder={modelFolderOf(path)} />
      </div>
      <div className="artifacts">
        <nav className="artifact-tree" aria-label="Artifacts">
          <ArtifactDir runId={runId} dir="" open={open} toggle={toggle} selected={path} onSelect={onSelect} />
        </nav>
        <div className="preview">
          {path ? <ArtifactPreview runId={runId} path={path} /> : <p className="muted">Select a file to preview it.</p>}
        </div>
      </div>
    </>
  );
}

/** The folder of a selected `MLmodel` file, the model to offer first when registering. */
function modelFolderOf(path: string): string | undefined {
  if (path !== 'MLmodel' && !path.endsWith('/MLmodel')) return undefined;
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

interface DirProps {
  runId: string;
  dir: string;
  open: Set<string>;
  toggle: (dir: string) => void;
  selected: string;
  onSelect: (path: string) => void;
}

function ArtifactDir({ runId, dir, open, toggle, selected, onSelect }: DirProps) {
  const list = useArtifactList(runId, dir);
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorBox error={list.error} />;
  const files = [...list.data].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || (a.path < b.path ? -1 : 1));
  if (files.length === 0) return dir === '' ? <Empty>No artifacts.</Empty> : <p className="muted">(empty)</p>;
  return (
    <ul>
      {files.map((f) => {
        const name = f.path.slice(f.path.lastIndexOf('/') + 1);
        if (f.is_dir) {
          const isOpen = open.has(f.path);
          return (
            <li key={f.path}>
              <button type="button" aria-expanded={isOpen} onClick={() => toggle(f.path)}>
                {isOpen ? '▾' : '▸'} {name}/
              </button>
              {isOpen ? (
                <ArtifactDir
                  runId={runId}
                  dir={f.path}
                  open={open}
                  toggle={toggle}
                  selected={selected}
                  onSelect={onSelect}
                />
              ) : null}
            </li>
          );
        }
        return (
          <li key={f.path}>
            <button
              type="button"
              aria-current={f.path === selected ? 'true' : undefined}
              onClick={() => onSelect(f.path)}
              title={`${f.path} (${formatBytes(f.file_size)})`}
            >
              {name} <span className="muted">{formatBytes(f.file_size)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
