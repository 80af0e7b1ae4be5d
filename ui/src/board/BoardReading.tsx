import type { BoardGraph } from '../bindings/BoardGraph';
import type { ComponentInfo } from '../bindings/ComponentInfo';

interface Props {
  graph: BoardGraph | null;
  /** The component library, for the kinds' names. */
  components: ComponentInfo[] | null;
  failed: string | null;
}

/** What the interviewer reads from the board: components with their kind, arrows, notes. */
export function BoardReading({ graph, components, failed }: Props) {
  const kindName = (kind: string) => components?.find((c) => c.kind === kind)?.name ?? kind.replace(/_/g, ' ');
  const label = (id: string) => graph?.nodes.find((n) => n.id === id)?.label || 'an unlabelled shape';
  const summary = graph
    ? `${graph.nodes.length} component${graph.nodes.length === 1 ? '' : 's'}, ${graph.edges.length} arrow${graph.edges.length === 1 ? '' : 's'}`
    : 'nothing yet';
  return (
    <details className="board-reading" data-testid="board-reading">
      <summary>
        What the interviewer sees <span className="muted small">({summary})</span>
      </summary>
      {failed && <p className="error-text small">{failed}</p>}
      {graph && graph.nodes.length + graph.edges.length + graph.notes.length === 0 && (
        <p className="muted small">An empty board. Boxes with a label, arrows between them and free text beside them are read.</p>
      )}
      {graph && graph.nodes.length > 0 && (
        <ul className="board-reading-list">
          {graph.nodes.map((n) => (
            <li key={n.id} data-testid="board-reading-node">
              <strong>{n.label || 'Unlabelled shape'}</strong> <span className="muted">· {kindName(n.kind)}</span>
            </li>
          ))}
        </ul>
      )}
      {graph && graph.edges.length > 0 && (
        <ul className="board-reading-list">
          {graph.edges.map((e, i) => (
            <li key={i} data-testid="board-reading-edge">
              {label(e.from)} {e.directed ? '→' : '—'} {label(e.to)}
              {e.label ? <span className="muted"> ({e.label})</span> : null}
            </li>
          ))}
        </ul>
      )}
      {graph && graph.notes.length > 0 && (
        <p className="small muted">Notes: {graph.notes.join(' · ')}</p>
      )}
    </details>
  );
}
