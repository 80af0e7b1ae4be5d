import { useMemo } from 'react';
import { parseMarkdown, type Inline } from './markdown';

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((inline, i) => {
        switch (inline.kind) {
          case 'strong':
            return <strong key={i}>{inline.text}</strong>;
          case 'em':
            return <em key={i}>{inline.text}</em>;
          case 'code':
            return <code key={i}>{inline.text}</code>;
          default:
            return <span key={i}>{inline.text}</span>;
        }
      })}
    </>
  );
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <div className={['markdown', className].filter(Boolean).join(' ')}>
      {blocks.map((block, i) => {
        if (block.kind === 'heading') {
          return (
            <p key={i} className="markdown-heading">
              <Inlines inlines={block.inlines} />
            </p>
          );
        }
        if (block.kind === 'list') {
          const items = block.items.map((item, j) => (
            <li key={j}>
              <Inlines inlines={item} />
            </li>
          ));
          return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
        }
        return (
          <p key={i}>
            <Inlines inlines={block.inlines} />
          </p>
        );
      })}
    </div>
  );
}
